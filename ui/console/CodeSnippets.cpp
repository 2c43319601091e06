// Code for "Copy as …". Every snippet sends the body as the console would; the SDK snippets point
// the SDK at the route, so the SDK builds the same path the console calls.
#include "console/CodeSnippets.h"

#include "providers/bedrock/converse/ModelId.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

using client::ChatApi;

// A string literal valid in Python and JavaScript alike: JSON's escapes are a subset of both.
QString quoted(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QString pythonLiteral(const QJsonValue &value, int depth)
{
    const QString inner = QString(4 * (depth + 1), u' ');
    const QString outer = QString(4 * depth, u' ');
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return u"None"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"True"_s : u"False"_s;
    case QJsonValue::Double: {
        const QByteArray number = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(number.mid(1, number.size() - 2));
    }
    case QJsonValue::String:
        return quoted(value.toString());
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        if (array.isEmpty())
            return u"[]"_s;
        QString text = u"[\n"_s;
        for (const QJsonValue &item : array)
            text += inner + pythonLiteral(item, depth + 1) + u",\n"_s;
        return text + outer + u']';
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.isEmpty())
            return u"{}"_s;
        QString text = u"{\n"_s;
        for (auto it = object.begin(); it != object.end(); ++it)
            text += inner + quoted(it.key()) + u": "_s + pythonLiteral(it.value(), depth + 1) + u",\n"_s;
        return text + outer + u'}';
    }
    }
    return u"None"_s;
}

// JSON is a JavaScript literal; an unreadable body is sent as the text it is.
QString javaScriptBody(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isNull())
        return quoted(QString::fromUtf8(body));
    return QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
}

QJsonObject bodyObject(const client::RawRequest &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

// The route the SDK is pointed at: the request's URL without the path its API adds.
QString routeBase(const client::RawRequest &request)
{
    QString path = request.url.path(QUrl::FullyEncoded);
    if (request.api == ChatApi::Converse) {
        const qsizetype model = path.lastIndexOf(u"/model/"_s);
        if (model >= 0)
            path.truncate(model);
    } else {
        for (const QString &suffix :
             {u"/v1/chat/completions"_s, u"/chat/completions"_s, u"/v1/messages"_s, u"/v1/responses"_s}) {
            if (path.endsWith(suffix)) {
                path.chop(suffix.size());
                break;
            }
        }
    }
    QUrl base = request.url;
    base.setPath(path, QUrl::TolerantMode);
    return base.toString(QUrl::FullyEncoded);
}

// Converse's model id, from /model/{id}/converse[-stream].
QString converseModel(const client::RawRequest &request)
{
    const QStringList parts = request.url.path(QUrl::FullyEncoded).split(u'/');
    const qsizetype at = parts.lastIndexOf(u"model"_s);
    return at >= 0 && at + 1 < parts.size() ? bedrock::decodeModelIdFromPath(parts.at(at + 1).toLatin1())
                                            : QString();
}

// Headers an SDK does not set itself: the user's own additions (the SDK sends its own
// Content-Type, Accept, User-Agent, API version and key).
QList<QPair<QString, QString>> extraHeaders(const client::RawRequest &request)
{
    static const QStringList sdkOwn{u"content-type"_s,      u"accept"_s,        u"user-agent"_s,
                                    u"anthropic-version"_s, u"authorization"_s, u"x-api-key"_s};
    QList<QPair<QString, QString>> extra;
    for (const auto &[name, value] : request.headers) {
        if (!sdkOwn.contains(QString::fromLatin1(name).toLower()))
            extra.append({QString::fromLatin1(name), QString::fromLatin1(value)});
    }
    return extra;
}

QString pythonHeaders(const client::RawRequest &request)
{
    const auto extra = extraHeaders(request);
    if (extra.isEmpty())
        return {};
    QStringList items;
    for (const auto &[name, value] : extra)
        items.append(quoted(name) + u": "_s + quoted(value));
    return u"    default_headers={"_s + items.join(u", "_s) + u"},\n"_s;
}

QString javaScriptHeaders(const QList<QPair<QString, QString>> &headers)
{
    QStringList items;
    for (const auto &[name, value] : headers)
        items.append(u"    "_s + quoted(name) + u": "_s + quoted(value));
    return u"{\n"_s + items.join(u",\n"_s) + u"\n  }"_s;
}

} // namespace

QString CodeSnippets::languageName(Language language, ChatApi api)
{
    switch (language) {
    case Language::Curl:
        return u"curl"_s;
    case Language::Python:
        if (api == ChatApi::AnthropicMessages)
            return u"Python (anthropic)"_s;
        return api == ChatApi::Converse ? u"Python (boto3)"_s : u"Python (openai)"_s;
    case Language::JavaScriptSdk:
        return api == ChatApi::OpenAiChat || api == ChatApi::Responses ? u"JavaScript (openai)"_s
                                                                       : u"JavaScript (fetch)"_s;
    case Language::JavaScriptFetch:
        return u"JavaScript (fetch)"_s;
    }
    return {};
}

QString CodeSnippets::generate(Language language, const client::RawRequest &request)
{
    switch (language) {
    case Language::Curl:
        return request.toCurl();
    case Language::Python:
        return python(request);
    case Language::JavaScriptSdk:
        return javaScriptSdk(request);
    case Language::JavaScriptFetch:
        return javaScriptFetch(request);
    }
    return {};
}

QString CodeSnippets::python(const client::RawRequest &request)
{
    const bool stream = request.streams();
    QJsonObject body = bodyObject(request);
    QString code;
    if (request.api == ChatApi::Converse) {
        // boto3 signs with whatever credentials it has; Quarry signs again with the backend's.
        code = u"import boto3\n\n"_s
               u"client = boto3.client(\n"_s
               u"    \"bedrock-runtime\",\n"_s
               u"    region_name=\"us-east-1\",\n"_s
               u"    endpoint_url="_s +
               quoted(routeBase(request)) +
               u",\n"_s
               u"    aws_access_key_id=\"quarry\",\n"_s
               u"    aws_secret_access_key=\"quarry\",\n"_s
               u")\n"_s
               u"body = "_s +
               pythonLiteral(body, 0) + u"\n"_s;
        if (stream) {
            code +=
                u"answer = client.converse_stream(modelId="_s + quoted(converseModel(request)) +
                u", **body)\n"_s
                u"for event in answer[\"stream\"]:\n"_s
                u"    if \"contentBlockDelta\" in event:\n"_s
                u"        print(event[\"contentBlockDelta\"][\"delta\"].get(\"text\", \"\"), end=\"\", flush=True)\n"_s
                u"print()\n"_s;
        } else {
            code += u"answer = client.converse(modelId="_s + quoted(converseModel(request)) +
                    u", **body)\n"_s
                    u"for block in answer[\"output\"][\"message\"][\"content\"]:\n"_s
                    u"    print(block.get(\"text\", \"\"))\n"_s;
        }
        return code;
    }
    if (request.api == ChatApi::AnthropicMessages) {
        code = u"import os\n\nfrom anthropic import Anthropic\n\n"_s
               u"client = Anthropic(\n"_s
               u"    base_url="_s +
               quoted(routeBase(request)) +
               u",\n"_s
               u"    api_key=os.environ.get(\"QUARRY_API_KEY\", \"quarry\"),\n"_s +
               pythonHeaders(request) +
               u")\n"_s
               u"body = "_s +
               pythonLiteral(body, 0) +
               u"\n"_s
               u"answer = client.messages.create(**body)\n"_s;
        code +=
            stream
                ? u"for event in answer:\n"_s
                  u"    if event.type == \"content_block_delta\" and event.delta.type == \"text_delta\":\n"_s
                  u"        print(event.delta.text, end=\"\", flush=True)\n"_s
                  u"print()\n"_s
                : u"print(\"\".join(block.text for block in answer.content if block.type == \"text\"))\n"_s;
        return code;
    }
    // The openai SDK adds /chat/completions or /responses to base_url; the route serves both under /v1.
    code = u"import os\n\nfrom openai import OpenAI\n\n"_s
           u"client = OpenAI(\n"_s
           u"    base_url="_s +
           quoted(routeBase(request) + u"/v1"_s) +
           u",\n"_s
           u"    api_key=os.environ.get(\"QUARRY_API_KEY\", \"quarry\"),\n"_s +
           pythonHeaders(request) +
           u")\n"_s
           u"body = "_s +
           pythonLiteral(body, 0) + u"\n"_s;
    if (request.api == ChatApi::Responses) {
        code += u"answer = client.responses.create(**body)\n"_s;
        code += stream ? u"for event in answer:\n"_s
                         u"    if event.type == \"response.output_text.delta\":\n"_s
                         u"        print(event.delta, end=\"\", flush=True)\n"_s
                         u"print()\n"_s
                       : u"print(answer.output_text)\n"_s;
        return code;
    }
    code += u"answer = client.chat.completions.create(**body)\n"_s;
    code += stream ? u"for chunk in answer:\n"_s
                     u"    if chunk.choices and chunk.choices[0].delta.content:\n"_s
                     u"        print(chunk.choices[0].delta.content, end=\"\", flush=True)\n"_s
                     u"print()\n"_s
                   : u"print(answer.choices[0].message.content)\n"_s;
    return code;
}

QString CodeSnippets::javaScriptSdk(const client::RawRequest &request)
{
    if (request.api != ChatApi::OpenAiChat && request.api != ChatApi::Responses)
        return javaScriptFetch(request); // no openai SDK call speaks Anthropic's or Bedrock's API
    const bool stream = request.streams();
    const auto extra = extraHeaders(request);
    QString code = u"// An ES module: save as chat.mjs, then `npm install openai` and `node chat.mjs`.\n"_s
                   u"import OpenAI from \"openai\";\n\n"_s
                   u"const client = new OpenAI({\n"_s
                   u"  baseURL: "_s +
                   quoted(routeBase(request) + u"/v1"_s) +
                   u",\n"_s
                   u"  apiKey: process.env.QUARRY_API_KEY ?? \"quarry\",\n"_s;
    if (!extra.isEmpty())
        code += u"  defaultHeaders: "_s + javaScriptHeaders(extra) + u",\n"_s;
    code += u"});\n"_s
            u"const body = "_s +
            javaScriptBody(request.body) + u";\n"_s;
    if (request.api == ChatApi::Responses) {
        code += u"const answer = await client.responses.create(body);\n"_s;
        code +=
            stream
                ? u"for await (const event of answer) {\n"_s
                  u"  if (event.type === \"response.output_text.delta\") process.stdout.write(event.delta);\n"_s
                  u"}\n"_s
                : u"console.log(answer.output_text);\n"_s;
        return code;
    }
    code += u"const answer = await client.chat.completions.create(body);\n"_s;
    code += stream ? u"for await (const chunk of answer) {\n"_s
                     u"  process.stdout.write(chunk.choices[0]?.delta?.content ?? \"\");\n"_s
                     u"}\n"_s
                   : u"console.log(answer.choices[0].message.content);\n"_s;
    return code;
}

QString CodeSnippets::javaScriptFetch(const client::RawRequest &request)
{
    QList<QPair<QString, QString>> headers;
    for (const auto &[name, value] : request.headers)
        headers.append({QString::fromLatin1(name), QString::fromLatin1(value)});
    QString code = u"// An ES module (Node 18+): save as chat.mjs and run `node chat.mjs`.\n"_s
                   u"const body = "_s +
                   javaScriptBody(request.body) +
                   u";\n"_s
                   u"const response = await fetch("_s +
                   quoted(request.url.toString(QUrl::FullyEncoded)) +
                   u", {\n"_s
                   u"  method: \"POST\",\n"_s
                   u"  headers: "_s +
                   javaScriptHeaders(headers) +
                   u",\n"_s
                   u"  body: JSON.stringify(body),\n"_s
                   u"});\n"_s;
    if (request.streams()) {
        code +=
            request.api == ChatApi::Converse
                ? u"// ConverseStream answers in AWS's binary event-stream frames: these are their raw bytes.\n"_s
                : u"// Server-sent events, printed as they arrive.\n"_s;
        code += u"for await (const part of response.body) process.stdout.write(part);\n"_s;
    } else {
        code += u"console.log(JSON.stringify(await response.json(), null, 2));\n"_s;
    }
    return code;
}

} // namespace quarry::ui
