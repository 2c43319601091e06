// Composes the simulator's deterministic reply and its usage numbers.
#include "simulator/SimulatorReply.h"

#include "simulator/SimulatorPromptCache.h"

#include <QJsonArray>

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

namespace {

const SimulatorConverseRequest::Message *lastUserMessage(const SimulatorConverseRequest &request)
{
    for (auto it = request.messages.crbegin(); it != request.messages.crend(); ++it) {
        if (it->role == u"user")
            return &*it;
    }
    return nullptr;
}

QJsonValue sampleValue(const QJsonObject &schema)
{
    const QString type = schema[u"type"].toString();
    if (type == u"number" || type == u"integer")
        return 1;
    if (type == u"boolean")
        return true;
    if (type == u"object")
        return QJsonObject{};
    if (type == u"array")
        return QJsonArray{};
    return u"sim"_s;
}

QJsonObject sampleInput(const QJsonObject &schema)
{
    QJsonObject input;
    const QJsonObject properties = schema[u"properties"].toObject();
    for (const QJsonValue &name : schema[u"required"].toArray())
        input.insert(name.toString(), sampleValue(properties[name.toString()].toObject()));
    return input;
}

QList<SimulatorReply::ToolUse> toolUsesFor(const SimulatorConverseRequest &request, bool parallel)
{
    qsizetype first = 0;
    for (qsizetype i = 0; i < request.tools.size(); ++i) {
        if (request.tools[i].name == request.forcedTool)
            first = i;
    }
    QList<SimulatorReply::ToolUse> uses;
    const int count = parallel ? 2 : 1;
    for (int k = 0; k < count; ++k) {
        // The second parallel call uses the next tool when there is one.
        const auto &tool = request.tools[(first + k) % request.tools.size()];
        const QString id = u"tooluse_sim_%1_%2"_s.arg(request.messages.size()).arg(k);
        uses.append({id, tool.name, sampleInput(tool.schema)});
    }
    return uses;
}

void composeText(SimulatorReply &reply, const QString &modelId, const SimulatorConverseRequest &request,
                 const SimulatorFaults &faults)
{
    const QStringList echoed =
        wordsOf(SimulatorFaults::withoutMarkers(request.lastUserText())).mid(0, SimulatorReply::EchoedWords);
    const QStringList base = wordsOf(u"Simulated reply from "_s + modelId + u":"_s) + echoed;
    reply.text = faults.words ? exactlyWords(base, *faults.words) : base.join(u' ');
    reply.stopReason = u"end_turn"_s;
    if (cutAtStopSequence(reply.text, request.stopSequences))
        reply.stopReason = u"stop_sequence"_s;
    if (request.maxTokens && SimulatorReply::wordCount(reply.text) > *request.maxTokens) {
        reply.text = wordsOf(reply.text).mid(0, *request.maxTokens).join(u' ');
        reply.stopReason = u"max_tokens"_s;
    }
}

void composeAnswer(SimulatorReply &reply, const QString &modelId, const SimulatorConverseRequest &request,
                   const SimulatorFaults &faults)
{
    const auto *lastUser = lastUserMessage(request);
    const QString lastText = lastUser ? lastUser->text : QString();
    const int toolResults = lastUser ? lastUser->toolResults : 0;
    if (lastText.contains(u"[sim:guardrail]")) {
        reply.text = u"Sorry, the model cannot answer this question."_s;
        reply.stopReason = u"guardrail_intervened"_s;
    } else if (!request.tools.isEmpty() && toolResults == 0) {
        reply.toolUses = toolUsesFor(request, lastText.contains(u"[sim:parallel-tools]"));
        reply.stopReason = u"tool_use"_s;
    } else if (toolResults > 0) {
        reply.text = u"Tool results received: %1"_s.arg(toolResults);
        reply.stopReason = u"end_turn"_s;
    } else {
        composeText(reply, modelId, request, faults);
    }
}

} // namespace

SimulatorReply SimulatorReply::compose(const QString &modelId, const SimulatorConverseRequest &request,
                                       const SimulatorFaults &faults)
{
    SimulatorReply reply;
    composeAnswer(reply, modelId, request, faults);
    if (request.thinking) {
        reply.reasoningText = u"Simulated reasoning."_s;
        reply.reasoningSignature = u"sim-signature-%1"_s.arg(request.messages.size());
    }
    if (!request.guardrail.isEmpty())
        reply.trace = QJsonObject{{u"guardrail"_s, request.guardrail}};

    int promptWords = wordCount(request.system) + request.extraInputWords;
    for (const SimulatorConverseRequest::Message &message : request.messages)
        promptWords += wordCount(message.text);
    const SimulatorPromptCache::Usage cache = SimulatorPromptCache::use(modelId, request.cachePrefixes);
    reply.cacheReadTokens = cache.read;
    reply.cacheWriteTokens = cache.write;
    reply.inputTokens = qMax(0, promptWords - cache.read - cache.write);
    reply.outputTokens = wordCount(reply.text) + wordCount(reply.reasoningText) + int(reply.toolUses.size());
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
