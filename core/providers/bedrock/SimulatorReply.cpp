// Composes the simulator's deterministic reply and its usage numbers.
#include "providers/bedrock/SimulatorReply.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

QStringList wordsOf(const QString &text)
{
    static const QRegularExpression whitespace(u"\\s+"_s);
    return text.split(whitespace, Qt::SkipEmptyParts);
}

// Repeats the base words until there are exactly `count`, so long-stream tests get any length.
QString exactlyWords(const QStringList &base, int count)
{
    QStringList words;
    words.reserve(count);
    for (int i = 0; i < count; ++i)
        words.append(base.at(i % base.size()));
    return words.join(u' ');
}

// Cuts at the earliest occurrence of any stop sequence; true when one was found.
bool cutAtStopSequence(QString &text, const QStringList &stopSequences)
{
    qsizetype earliest = -1;
    for (const QString &stop : stopSequences) {
        const qsizetype at = text.indexOf(stop);
        if (at >= 0 && (earliest < 0 || at < earliest))
            earliest = at;
    }
    if (earliest < 0)
        return false;
    text.truncate(earliest);
    return true;
}

} // namespace

SimulatorReply SimulatorReply::compose(const QString &modelId, const SimulatorConverseRequest &request,
                                       const SimulatorFaults &faults)
{
    const QStringList echoed =
        wordsOf(SimulatorFaults::withoutMarkers(request.lastUserText())).mid(0, EchoedWords);
    const QStringList base = wordsOf(u"Simulated reply from "_s + modelId + u":"_s) + echoed;

    SimulatorReply reply;
    reply.text = faults.words ? exactlyWords(base, *faults.words) : base.join(u' ');
    reply.stopReason = u"end_turn"_s;
    if (cutAtStopSequence(reply.text, request.stopSequences))
        reply.stopReason = u"stop_sequence"_s;
    if (request.maxTokens && wordCount(reply.text) > *request.maxTokens) {
        reply.text = wordsOf(reply.text).mid(0, *request.maxTokens).join(u' ');
        reply.stopReason = u"max_tokens"_s;
    }

    reply.inputTokens = wordCount(request.system);
    for (const SimulatorConverseRequest::Message &message : request.messages)
        reply.inputTokens += wordCount(message.text);
    reply.outputTokens = wordCount(reply.text);
    return reply;
}

QStringList SimulatorReply::deltas() const
{
    static const QRegularExpression piece(u"\\s*\\S+\\s*"_s);
    QStringList out;
    auto matches = piece.globalMatch(text);
    while (matches.hasNext())
        out.append(matches.next().captured());
    return out;
}

int SimulatorReply::wordCount(const QString &text)
{
    return int(wordsOf(text).size());
}

} // namespace quarry::bedrock
