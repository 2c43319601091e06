// Serialises a chat request to its client API's JSON (OpenAI chat, Anthropic Messages, Responses)
// and to a curl command line.
#include "client/ChatRequest.h"

#include "providers/bedrock/converse/ConverseImage.h"
#include "providers/bedrock/converse/ModelId.h"

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

// One attached image as `api` writes an image part (each API's reference: OpenAI's image_url and
// Responses' input_image take the data: URL itself; Anthropic's and Converse's take the base64
// bytes with the media type or format apart). nullopt for what is not a usable image data: URL.
std::optional<QJsonObject> imagePart(ChatApi api, const QString &dataUrl)
{
    const auto image = bedrock::ConverseImage::fromDataUrl(dataUrl);
    if (!image)
        return std::nullopt;
    const QString base64 = QString::fromLatin1(image->base64);
    switch (api) {
    case ChatApi::OpenAiChat:
        return QJsonObject{{u"type"_s, u"image_url"_s}, {u"image_url"_s, QJsonObject{{u"url"_s, dataUrl}}}};
    case ChatApi::Responses:
        return QJsonObject{{u"type"_s, u"input_image"_s}, {u"image_url"_s, dataUrl}};
    case ChatApi::AnthropicMessages:
        return QJsonObject{
            {u"type"_s, u"image"_s},
            {u"source"_s, QJsonObject{{u"type"_s, u"base64"_s},
                                      {u"media_type"_s, QString(u"image/"_s + image->format)},
                                      {u"data"_s, base64}}}};
    case ChatApi::Converse:
        break;
    }
    return image->toConverseBlock();
}

// A message's content: the text alone as a string where the API allows it (what SDKs send for
// text), else a list of parts, images first as Anthropic's and Bedrock's guides advise.
QJsonValue content(ChatApi api, const ChatMessage &message)
{
    if (message.images.isEmpty() && api != ChatApi::Converse)
        return message.content;
    QJsonArray parts;
    for (const QString &dataUrl : message.images) {
        if (const auto part = imagePart(api, dataUrl))
            parts.append(*part);
    }
    switch (api) {
    case ChatApi::OpenAiChat:
    case ChatApi::AnthropicMessages:
        parts.append(QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, message.content}});
        break;
    case ChatApi::Responses:
        parts.append(QJsonObject{{u"type"_s, message.role == u"assistant"_s ? u"output_text"_s : u"input_text"_s},
                                 {u"text"_s, message.content}});
        break;
    case ChatApi::Converse:
        parts.append(QJsonObject{{u"text"_s, message.content}});
        break;
    }
    return parts;
}

QJsonArray turns(ChatApi api, const QList<ChatMessage> &messages)
{
    QJsonArray list;
    for (const ChatMessage &message : messages)
        list.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, content(api, message)}});
    return list;
}

} // namespace

std::optional<ChatApi> chatApiNamed(const QString &name)
{
    if (name == u"openai"_s)
        return ChatApi::OpenAiChat;
    if (name == u"anthropic"_s)
        return ChatApi::AnthropicMessages;
    if (name == u"responses"_s)
        return ChatApi::Responses;
    return std::nullopt;
}

QUrl ChatRequest::endpoint() const
{
    QUrl endpoint = url;
    if (api == ChatApi::AnthropicMessages)
        endpoint.setPath(url.path() + u"/v1/messages"_s);
    else if (api == ChatApi::Responses)
        endpoint.setPath(url.path() + u"/v1/responses"_s);
    else if (api == ChatApi::Converse) {
        // Set already encoded, or QUrl would decode %2F in an ARN back into a path separator.
        const QByteArray path = url.path(QUrl::FullyEncoded).toUtf8() + "/model/" +
                                bedrock::encodeModelIdForPath(model) + (stream ? "/converse-stream" : "/converse");
        endpoint.setPath(QString::fromLatin1(path), QUrl::TolerantMode);
    }
    return endpoint;
}

QByteArray ChatRequest::toJson() const
{
    switch (api) {
    case ChatApi::AnthropicMessages:
        return anthropicJson();
    case ChatApi::Responses:
        return responsesJson();
    case ChatApi::Converse:
        return converseJson();
    case ChatApi::OpenAiChat:
        break;
    }
    return openAiChatJson();
}

QByteArray ChatRequest::openAiChatJson() const
{
    QJsonArray list;
    if (!system.isEmpty())
        list.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, system}});
    for (const QJsonValue &turn : turns(api, messages))
        list.append(turn);
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

// Anthropic Messages (docs.anthropic.com/en/api/messages): the system prompt is a top-level field
// and max_tokens is required.
QByteArray ChatRequest::anthropicJson() const
{
    QJsonObject body{{u"model"_s, model},
                     {u"max_tokens"_s, maxTokens.value_or(DefaultAnthropicMaxTokens)},
                     {u"messages"_s, turns(api, messages)}};
    if (!system.isEmpty())
        body.insert(u"system"_s, system);
    if (temperature)
        body.insert(u"temperature"_s, *temperature);
    if (stream)
        body.insert(u"stream"_s, true);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// OpenAI Responses (platform.openai.com/docs/api-reference/responses/create): the turns are the
// input, the system prompt is "instructions".
QByteArray ChatRequest::responsesJson() const
{
    QJsonObject body{{u"model"_s, model}, {u"input"_s, turns(api, messages)}};
    if (!system.isEmpty())
        body.insert(u"instructions"_s, system);
    if (temperature)
        body.insert(u"temperature"_s, *temperature);
    if (maxTokens)
        body.insert(u"max_output_tokens"_s, *maxTokens);
    if (stream)
        body.insert(u"stream"_s, true);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// Bedrock Converse (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
// content is a list of blocks, the system prompt a list too, settings under inferenceConfig; the
// model and streaming are in the path, not the body.
QByteArray ChatRequest::converseJson() const
{
    QJsonObject body{{u"messages"_s, turns(api, messages)}};
    if (!system.isEmpty())
        body.insert(u"system"_s, QJsonArray{QJsonObject{{u"text"_s, system}}});
    QJsonObject inference;
    if (maxTokens)
        inference.insert(u"maxTokens"_s, *maxTokens);
    if (temperature)
        inference.insert(u"temperature"_s, *temperature);
    if (!inference.isEmpty())
        body.insert(u"inferenceConfig"_s, inference);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

HeaderList ChatRequest::headers() const
{
    // Our own User-Agent (not the network stack's "Mozilla/5.0") so the copied command and the
    // console's request look the same in Traffic.
    QByteArray accept = stream ? "text/event-stream" : "application/json";
    if (api == ChatApi::Converse && stream)
        accept = "application/vnd.amazon.eventstream"; // ConverseStream answers in AWS's binary frames
    HeaderList list{{"Content-Type", "application/json"},
                    {"Accept", accept},
                    {"User-Agent", "quarry-console/" QUARRY_VERSION}};
    if (simulate)
        list.append(qMakePair(QByteArray("x-quarry-simulate"), QByteArray("true")));
    if (api == ChatApi::AnthropicMessages)
        list.append(
            qMakePair(QByteArray("anthropic-version"), QByteArray("2023-06-01"))); // as Anthropic's SDKs send
    return list;
}

RawRequest ChatRequest::toRaw() const
{
    return {api, endpoint(), headers(), toJson()};
}

bool RawRequest::streams() const
{
    if (api == ChatApi::Converse)
        return url.path().endsWith(u"/converse-stream"_s);
    return QJsonDocument::fromJson(body).object().value("stream"_L1).toBool();
}

QString RawRequest::toCurl() const
{
    QString command = u"curl -sS"_s;
    if (streams())
        command += u" -N"_s; // print events as they arrive
    command += u' ' + shellQuoted(url.toString(QUrl::FullyEncoded));
    for (const auto &[name, value] : headers)
        command += u" -H "_s + shellQuoted(QString::fromLatin1(name + ": " + value));
    // --data-binary sends the bytes as given (-d would also read '@file' and strip newlines).
    command += u" --data-binary "_s + shellQuoted(QString::fromUtf8(body));
    return command;
}

} // namespace quarry::client
