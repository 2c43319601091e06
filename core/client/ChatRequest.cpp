// Serialises the console's request to OpenAI chat-completions JSON and to a curl command line.
#include "client/ChatRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::client {

namespace {

QString shellQuoted(const QString &text)
{
    QString quoted = text;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

} // namespace

QByteArray ChatRequest::toJson() const
{
    QJsonArray list;
    if (!system.isEmpty())
        list.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, system}});
    for (const ChatMessage &message : messages)
        list.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    QJsonObject body{{u"model"_s, model}, {u"messages"_s, list}};
    if (temperature)
        body.insert(u"temperature"_s, *temperature);
    if (maxTokens)
        body.insert(u"max_tokens"_s, *maxTokens);
    if (stream) {
        body.insert(u"stream"_s, true);
        // Without it OpenAI-style streams carry no token counts, and the console shows them.
        body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QList<QPair<QByteArray, QByteArray>> ChatRequest::headers() const
{
    // Our own User-Agent (not the network stack's "Mozilla/5.0") so the copied command and the
    // console's request look the same in Traffic.
    return {{"Content-Type", "application/json"},
            {"Accept", stream ? "text/event-stream" : "application/json"},
            {"User-Agent", "quarry-console/" QUARRY_VERSION}};
}

QString ChatRequest::toCurl() const
{
    QString command = u"curl -sS"_s;
    if (stream)
        command += u" -N"_s; // print events as they arrive
    command += u' ' + shellQuoted(url.toString(QUrl::FullyEncoded));
    for (const auto &[name, value] : headers())
        command += u" -H "_s + shellQuoted(QString::fromLatin1(name + ": " + value));
    // --data-binary sends the bytes as given (-d would also read '@file' and strip newlines).
    command += u" --data-binary "_s + shellQuoted(QString::fromUtf8(toJson()));
    return command;
}

} // namespace quarry::client
