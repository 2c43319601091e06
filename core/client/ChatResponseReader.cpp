// Turns OpenAI chat-completions answers, streamed or not, into typed results for the console.
#include "client/ChatResponseReader.h"

#include "providers/bedrock/openai/OpenAiUsage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::client {

QString ChatResponseReader::feedStream(QByteArrayView bytes)
{
    QString produced;
    for (const SseEvent &event : m_parser.feed(bytes)) {
        if (event.data == u"[DONE]") {
            m_done = true;
            continue;
        }
        const QJsonDocument document = QJsonDocument::fromJson(event.data.toUtf8());
        if (!document.isObject())
            continue; // not an event this client understands; keep reading
        const QJsonObject object = document.object();
        if (readError(object))
            continue;
        produced += readChunk(object);
    }
    m_text += produced;
    return produced;
}

void ChatResponseReader::readBody(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    if (readError(object))
        return;
    const QJsonObject choice = object.value("choices"_L1).toArray().first().toObject();
    m_text = choice.value("message"_L1).toObject().value("content"_L1).toString();
    m_finishReason = choice.value("finish_reason"_L1).toString();
    readUsage(object);
    if (object.isEmpty() && !body.isEmpty())
        m_error = u"The answer was not JSON: "_s + QString::fromUtf8(body.left(200));
}

QString ChatResponseReader::readChunk(const QJsonObject &chunk)
{
    readUsage(chunk);
    const QJsonArray choices = chunk.value("choices"_L1).toArray();
    if (choices.isEmpty())
        return {};
    const QJsonObject choice = choices.first().toObject();
    if (choice.value("finish_reason"_L1).isString())
        m_finishReason = choice.value("finish_reason"_L1).toString();
    const QJsonValue content = choice.value("delta"_L1).toObject().value("content"_L1);
    if (!content.isString())
        return {};
    ++m_deltas;
    return content.toString();
}

bool ChatResponseReader::readError(const QJsonObject &object)
{
    const QJsonValue error = object.value("error"_L1);
    if (error.isUndefined() || error.isNull())
        return false;
    m_error = error.isObject() ? error.toObject().value("message"_L1).toString() : error.toString();
    if (m_error.isEmpty())
        m_error = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    return true;
}

void ChatResponseReader::readUsage(const QJsonObject &object)
{
    const QJsonValue usage = object.value("usage"_L1);
    if (!usage.isObject())
        return;
    m_usage = bedrock::fromOpenAiUsage(usage.toObject());
}

} // namespace quarry::client
