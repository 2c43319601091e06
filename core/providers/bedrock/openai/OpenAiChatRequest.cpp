// Strict parse of an OpenAI Chat Completions request into ChatRequest; errors name the field.
// The body is read once, in place, by the pull reader: this runs for every chat request, and a
// QJsonDocument plus the lookups into it cost ~24,000 instructions of a request's ~290,000.
#include "providers/bedrock/openai/OpenAiChatRequest.h"

#include "providers/bedrock/json/BodyReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

using Kind = JsonReader::Kind;
using util::elementPath;

// OpenAI fields with no Bedrock meaning. They are dropped and listed (never rejected, so SDKs
// that always send them keep working), unless their value is the one that changes nothing
// (e.g. parallel_tool_calls true: Bedrock models may call tools in parallel anyway).
struct DroppedField
{
    QByteArrayView name;
    std::optional<bool> noOpValue;
};

constexpr DroppedField DroppableFields[] = {
    {"logprobs", false},
    {"top_logprobs", {}},
    {"seed", {}},
    {"frequency_penalty", {}},
    {"presence_penalty", {}},
    {"user", {}},
    {"parallel_tool_calls", true},
    {"metadata", {}},
    {"logit_bias", {}},
    {"functions", {}},
    {"function_call", {}},
    {"modalities", {}},
    {"audio", {}},
    {"prediction", {}},
    {"service_tier", {}},
    {"store", false},
    {"web_search_options", {}},
    {"verbosity", {}},
    {"safety_identifier", {}},
    {"prompt_cache_key", {}},
};

std::optional<ChatRole> roleNamed(const QString &name)
{
    static const QList<std::pair<QString, ChatRole>> roles = {
        {u"system"_s, ChatRole::System}, {u"developer"_s, ChatRole::Developer},
        {u"user"_s, ChatRole::User},     {u"assistant"_s, ChatRole::Assistant},
        {u"tool"_s, ChatRole::Tool},
    };
    for (const auto &[roleName, role] : roles) {
        if (roleName == name)
            return role;
    }
    return std::nullopt;
}

// A value Quarry passes on rather than reads (a tool's schema, "thinking", response_format), as
// Qt JSON. Object and array text the reader accepted parses here too.
QJsonValue readJsonValue(JsonReader &reader)
{
    switch (reader.peek()) {
    case Kind::Object:
        return QJsonDocument::fromJson(reader.readCompact()).object();
    case Kind::Array:
        return QJsonDocument::fromJson(reader.readCompact()).array();
    case Kind::String:
        return reader.readString().value_or(QString());
    case Kind::Number:
        return reader.readNumber().value_or(0.0);
    case Kind::Bool:
        return reader.readBool().value_or(false);
    case Kind::Null:
    case Kind::None:
        break;
    }
    reader.skipValue();
    return QJsonValue::Null;
}

// Reads one body into a ChatRequest. Fields may come in any order, so what depends on another
// field (a message's role, the named tool, thinking's effect on sampling) is checked once
// everything is read.
class ChatRequestReader : BodyReader
{
public:
    explicit ChatRequestReader(QByteArrayView body) : BodyReader(body) {}

    Result<ChatRequest> read()
    {
        if (auto error = readBody([this](QByteArrayView key) { readField(key); }, [this] { checkWhole(); }))
            return Result<ChatRequest>::failure(*error);
        return std::move(m_request);
    }

private:
    // Everything read about one message, checked once its role is known.
    struct MessageFields
    {
        std::optional<QString> role;
        std::optional<QList<ContentPart>> content; // nullopt: null or absent
        QString name;
        QList<ToolCall> toolCalls;
        std::optional<QString> toolCallId;
        QList<ReasoningBlock> thinkingBlocks;
        QString reasoningContent;
        QString reasoningSignature;
    };

    struct ToolCallFields
    {
        std::optional<QString> id;
        bool isFunction = true;
        std::optional<QString> name;
        QString arguments;
        bool argumentsInvalid = false;
    };

    void readField(QByteArrayView key)
    {
        if (key == "model")
            readString(u"model"_s, m_request.model);
        else if (key == "messages")
            readMessages();
        else if (key == "stream")
            readBool(u"stream"_s, m_request.stream);
        else if (key == "stream_options")
            readStreamOptions();
        else if (key == "temperature")
            readNumber(u"temperature"_s, m_request.temperature);
        else if (key == "top_p")
            readNumber(u"top_p"_s, m_request.topP);
        else if (key == "stop")
            readStop();
        else if (key == "max_tokens")
            m_maxTokens = readCount(u"max_tokens"_s);
        else if (key == "max_completion_tokens")
            m_maxCompletionTokens = readCount(u"max_completion_tokens"_s);
        else if (key == "n")
            readChoiceCount();
        else if (key == "tools")
            readTools();
        else if (key == "tool_choice")
            readToolChoice();
        else if (key == "thinking")
            m_thinking = skipNull() ? QJsonValue(QJsonValue::Undefined) : readJsonValue(m_reader);
        else if (key == "reasoning_effort")
            m_effort = skipNull() ? QJsonValue(QJsonValue::Undefined) : readJsonValue(m_reader);
        else if (key == "response_format")
            readResponseFormat();
        else
            readOtherField(key);
    }

    // A count of at least 1; JSON numbers are doubles, so it must be a whole one.
    std::optional<qint64> readCount(const QString &field)
    {
        if (skipNull())
            return std::nullopt;
        return readInteger(field, 1);
    }

    void readChoiceCount()
    {
        if (const auto n = readCount(u"n"_s); n && *n > 1)
            fail(u"n: only 1 choice per request is supported"_s);
    }

    void readStreamOptions()
    {
        if (skipNull())
            return;
        if (m_reader.peek() != Kind::Object)
            return fail(u"stream_options: must be an object"_s);
        m_reader.readObject([this](QByteArrayView key) {
            if (key == "include_usage")
                readBool(u"stream_options.include_usage"_s, m_request.includeUsage);
        });
    }

    void readStop()
    {
        if (skipNull())
            return;
        if (m_reader.peek() == Kind::String) {
            m_request.stop = QStringList{readStringOrEmpty()};
            return;
        }
        if (m_reader.peek() != Kind::Array)
            return fail(u"stop: must be a string or an array of strings"_s);
        m_request.stop = readStringList(u"stop"_s);
    }

    void readMessages()
    {
        if (skipNull())
            return;
        m_messagesSent = true;
        if (m_reader.peek() != Kind::Array)
            return fail(u"messages: must be an array"_s);
        m_request.messages =
            readElements(u"messages"_s, [this](const QString &path) { return readMessage(path); });
    }

    std::optional<ChatMessage> readMessage(const QString &path)
    {
        if (m_reader.peek() != Kind::Object) {
            fail(path % u": must be an object"_s);
            return std::nullopt;
        }
        MessageFields fields;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "role")
                fields.role = m_reader.readString();
            else if (key == "content")
                fields.content = readContent(path % u".content"_s);
            else if (key == "name")
                fields.name = readStringOrEmpty();
            else if (key == "tool_calls")
                fields.toolCalls = readToolCalls(path % u".tool_calls"_s);
            else if (key == "tool_call_id")
                fields.toolCallId = m_reader.readString();
            else if (key == "thinking_blocks")
                fields.thinkingBlocks = readThinkingBlocks();
            else if (key == "reasoning_content")
                fields.reasoningContent = readStringOrEmpty();
            else if (key == "reasoning_signature")
                fields.reasoningSignature = readStringOrEmpty();
        });
        return checkMessage(path, std::move(fields));
    }

    std::optional<ChatMessage> checkMessage(const QString &path, MessageFields fields)
    {
        if (!fields.role) {
            fail(path % u".role: must be a string"_s);
            return std::nullopt;
        }
        const auto role = roleNamed(*fields.role);
        if (!role) {
            fail(path % u".role: unknown role '"_s % *fields.role % u'\'');
            return std::nullopt;
        }
        const bool isAssistant = *role == ChatRole::Assistant;
        if (!isAssistant && !fields.toolCalls.isEmpty())
            fail(path % u".tool_calls: only assistant messages make tool calls"_s);
        if (!isAssistant && !fields.content)
            fail(path % u".content: required"_s);
        if (*role == ChatRole::Tool && !fields.toolCallId)
            fail(path % u".tool_call_id: must be a string"_s);
        ChatMessage message;
        message.role = *role;
        message.content = std::move(fields.content).value_or(QList<ContentPart>{});
        message.name = std::move(fields.name);
        message.toolCalls = std::move(fields.toolCalls);
        message.toolCallId = std::move(fields.toolCallId).value_or(QString());
        if (isAssistant) {
            message.reasoning = std::move(fields.thinkingBlocks);
            // Reasoning without a signature is not replayed: Bedrock rejects it.
            if (message.reasoning.isEmpty() && !fields.reasoningSignature.isEmpty())
                message.reasoning.append(
                    ReasoningBlock{fields.reasoningContent, fields.reasoningSignature, {}});
        }
        return message;
    }

    // content is a string, an array of parts, or null/absent (assistant turns that only call tools).
    std::optional<QList<ContentPart>> readContent(const QString &path)
    {
        switch (m_reader.peek()) {
        case Kind::String:
            return QList<ContentPart>{ContentPart{ContentPart::Kind::Text, readStringOrEmpty(), {}}};
        case Kind::Null:
            m_reader.skipValue();
            return std::nullopt;
        case Kind::Array:
            break;
        default:
            fail(path % u": must be a string or an array of content parts"_s);
            return QList<ContentPart>{};
        }
        return readElements(path, [this](const QString &partPath) { return readContentPart(partPath); });
    }

    std::optional<ContentPart> readContentPart(const QString &path)
    {
        if (m_reader.peek() != Kind::Object) {
            fail(path % u": must be an object"_s);
            return std::nullopt;
        }
        std::optional<QString> type;
        std::optional<QString> text;
        std::optional<QString> imageUrl;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "type")
                type = m_reader.readString();
            else if (key == "text")
                text = m_reader.readString();
            else if (key == "image_url")
                imageUrl = readImageUrl();
        });
        if (!type) {
            fail(path % u".type: must be a string"_s);
        } else if (*type == "image_url"_L1) {
            if (!imageUrl) {
                fail(path % u".image_url.url: must be a string"_s);
                return std::nullopt;
            }
            auto image = ConverseImage::fromDataUrl(*imageUrl);
            if (image)
                return ContentPart{ContentPart::Kind::Image, {}, image.value()};
            fail(path % u".image_url.url: "_s % image.error());
        } else if (*type != "text"_L1) {
            fail(path % u".type: unsupported content part type '"_s % *type %
                 u"' (only 'text' and 'image_url' are supported)"_s);
        } else if (!text) {
            fail(path % u".text: must be a string"_s);
        } else {
            return ContentPart{ContentPart::Kind::Text, std::move(*text), {}};
        }
        return std::nullopt;
    }

    // image_url is {"url": ...} in OpenAI's API; a bare string is accepted as some clients send it.
    std::optional<QString> readImageUrl()
    {
        if (m_reader.peek() == Kind::String)
            return m_reader.readString();
        std::optional<QString> url;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "url")
                url = m_reader.readString();
        });
        return url;
    }

    QList<ToolCall> readToolCalls(const QString &path)
    {
        if (skipNull())
            return {};
        if (m_reader.peek() != Kind::Array) {
            fail(path % u": must be an array"_s);
            return {};
        }
        return readElements(path, [this](const QString &callPath) { return readToolCall(callPath); });
    }

    std::optional<ToolCall> readToolCall(const QString &path)
    {
        ToolCallFields fields;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "id") {
                fields.id = m_reader.readString();
            } else if (key == "type") {
                fields.isFunction = m_reader.readString().value_or(u"function"_s) == "function"_L1;
            } else if (key == "function") {
                m_reader.readObject([&](QByteArrayView field) {
                    if (field == "name") {
                        fields.name = m_reader.readString();
                    } else if (field == "arguments") {
                        auto arguments = m_reader.readString();
                        fields.argumentsInvalid = !arguments;
                        fields.arguments = std::move(arguments).value_or(QString());
                    }
                });
            }
        });
        if (!fields.id)
            fail(path % u".id: must be a string"_s);
        else if (!fields.isFunction)
            fail(path % u".type: only 'function' tool calls are supported"_s);
        else if (!fields.name)
            fail(path % u".function.name: must be a string"_s);
        else if (fields.argumentsInvalid)
            fail(path % u".function.arguments: must be a string"_s);
        else
            return ToolCall{std::move(*fields.id), std::move(*fields.name), std::move(fields.arguments)};
        return std::nullopt;
    }

    // thinking_blocks: [{"type":"thinking","thinking","signature"} | {"type":"redacted_thinking","data"}]
    QList<ReasoningBlock> readThinkingBlocks()
    {
        QList<ReasoningBlock> blocks;
        m_reader.readArray([&] {
            QString type;
            ReasoningBlock block;
            m_reader.readObject([&](QByteArrayView key) {
                if (key == "type")
                    type = readStringOrEmpty();
                else if (key == "thinking")
                    block.text = readStringOrEmpty();
                else if (key == "signature")
                    block.signature = readStringOrEmpty();
                else if (key == "data")
                    block.redactedContent = readStringOrEmpty().toLatin1();
            });
            if (type == "redacted_thinking"_L1)
                blocks.append(ReasoningBlock{{}, {}, block.redactedContent});
            else if (!block.signature.isEmpty())
                blocks.append(ReasoningBlock{block.text, block.signature, {}});
        });
        return blocks;
    }

    void readTools()
    {
        if (skipNull())
            return;
        if (m_reader.peek() != Kind::Array)
            return fail(u"tools: must be an array"_s);
        m_request.tools = readElements(u"tools"_s, [this](const QString &path) { return readTool(path); });
    }

    std::optional<ToolDefinition> readTool(const QString &path)
    {
        bool isFunction = m_reader.peek() == Kind::Object;
        ToolDefinition tool;
        bool parametersInvalid = false;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "type") {
                isFunction = m_reader.readString().value_or(u"function"_s) == "function"_L1;
            } else if (key == "function") {
                m_reader.readObject([&](QByteArrayView field) {
                    if (field == "name")
                        tool.name = readStringOrEmpty();
                    else if (field == "description")
                        tool.description = readStringOrEmpty();
                    else if (field == "parameters")
                        parametersInvalid = !readSchema(tool.parameters);
                });
            }
        });
        if (!isFunction) {
            fail(path % u".type: only 'function' tools are supported"_s);
            return std::nullopt;
        }
        if (tool.name.isEmpty()) {
            fail(path % u".function.name: must be a non-empty string"_s);
            return std::nullopt;
        }
        if (parametersInvalid) {
            fail(path % u".function.parameters: must be an object"_s);
            return std::nullopt;
        }
        // Bedrock requires an input schema; OpenAI lets a function take no parameters.
        if (tool.parameters.isEmpty() || tool.parameters == "{}")
            tool.parameters = R"({"type":"object","properties":{}})"_ba;
        return tool;
    }

    // A JSON Schema, passed on as compact text; false when it is not an object (null is absent).
    bool readSchema(QByteArray &into)
    {
        if (skipNull())
            return true;
        if (m_reader.peek() != Kind::Object)
            return false;
        into = m_reader.readCompact();
        return true;
    }

    void readToolChoice()
    {
        using Mode = ToolChoice::Mode;
        if (skipNull())
            return;
        if (m_reader.peek() == Kind::String) {
            const QString mode = readStringOrEmpty();
            if (mode == "auto"_L1)
                m_request.toolChoice = ToolChoice{Mode::Auto, {}};
            else if (mode == "required"_L1)
                m_request.toolChoice = ToolChoice{Mode::Required, {}};
            else if (mode == "none"_L1)
                m_request.toolChoice = ToolChoice{Mode::None, {}};
            else
                fail(u"tool_choice: must be auto, required, none or a named function"_s);
            return;
        }
        QString name;
        m_reader.readObject([&](QByteArrayView key) {
            if (key != "function")
                return;
            m_reader.readObject([&](QByteArrayView field) {
                if (field == "name")
                    name = readStringOrEmpty();
            });
        });
        if (name.isEmpty())
            return fail(u"tool_choice.function.name: must be a non-empty string"_s);
        m_request.toolChoice = ToolChoice{Mode::Named, name};
    }

    void readResponseFormat()
    {
        auto format = ResponseFormat::parse(skipNull() ? QJsonValue() : readJsonValue(m_reader));
        if (format)
            m_request.responseFormat = format.value();
        else
            fail(format.error());
    }

    void readOtherField(QByteArrayView key)
    {
        const QString name = QString::fromUtf8(key);
        const auto known = std::find_if(std::begin(DroppableFields), std::end(DroppableFields),
                                        [&](const DroppedField &field) { return field.name == key; });
        if (known == std::end(DroppableFields)) {
            if (!m_request.unknownFields.contains(name))
                m_request.unknownFields.append(name);
            return;
        }
        if (skipNull())
            return;
        if (known->noOpValue && m_reader.peek() == Kind::Bool && m_reader.readBool() == known->noOpValue)
            return;
        if (!m_otherDropped.contains(name))
            m_otherDropped.append(name);
    }

    // What can be checked only with the whole body read.
    void checkWhole()
    {
        if (!m_messagesSent)
            fail(u"messages: required"_s);
        else if (m_request.messages.isEmpty())
            fail(u"messages: must not be empty"_s);
        // max_completion_tokens replaced max_tokens in OpenAI's API, so it wins when both are sent.
        m_request.maxTokens = m_maxCompletionTokens ? m_maxCompletionTokens : m_maxTokens;
        const ToolChoice &choice = m_request.toolChoice;
        if (choice.mode == ToolChoice::Mode::Named &&
            std::none_of(m_request.tools.cbegin(), m_request.tools.cend(),
                         [&](const ToolDefinition &tool) { return tool.name == choice.name; }))
            fail(u"tool_choice.function.name: no tool named '"_s % choice.name % u"'"_s);
        checkReasoning();
        m_request.droppedParameters += m_otherDropped;
    }

    // "thinking" (Anthropic's object) wins over reasoning_effort. Anthropic rejects temperature
    // other than 1 and top_p below 0.95 with thinking on, so those are dropped and listed.
    void checkReasoning()
    {
        if (m_thinking.isObject()) {
            if (m_thinking.toObject().value("type"_L1).toString() != "disabled"_L1)
                m_request.thinking = m_thinking.toObject();
        } else if (!m_thinking.isUndefined()) {
            return fail(u"thinking: must be an object"_s);
        } else if (m_effort.isString()) {
            auto budget = reasoning::budgetForEffort(m_effort.toString());
            if (!budget)
                return fail(budget.error());
            if (budget.value())
                m_request.thinking = reasoning::enabledThinking(*budget.value());
        } else if (!m_effort.isUndefined()) {
            return fail(u"reasoning_effort: must be a string"_s);
        }
        if (m_request.thinking.isEmpty())
            return;
        if (m_request.temperature && *m_request.temperature != 1.0) {
            m_request.temperature.reset();
            m_request.droppedParameters.append(u"temperature"_s);
        }
        if (m_request.topP && *m_request.topP < 0.95) {
            m_request.topP.reset();
            m_request.droppedParameters.append(u"top_p"_s);
        }
    }

    ChatRequest m_request;
    bool m_messagesSent = false;
    std::optional<qint64> m_maxTokens;
    std::optional<qint64> m_maxCompletionTokens;
    QJsonValue m_thinking{QJsonValue::Undefined}; // absent or null
    QJsonValue m_effort{QJsonValue::Undefined};   // absent or null
    QStringList m_otherDropped;                   // the droppable fields sent, listed after thinking's drops
};

} // namespace

Result<ChatRequest> parseChatRequest(QByteArrayView body)
{
    return ChatRequestReader(body).read();
}

QString chatRoleName(ChatRole role)
{
    switch (role) {
    case ChatRole::System:
        return u"system"_s;
    case ChatRole::Developer:
        return u"developer"_s;
    case ChatRole::User:
        return u"user"_s;
    case ChatRole::Assistant:
        return u"assistant"_s;
    case ChatRole::Tool:
        return u"tool"_s;
    }
    return {};
}

} // namespace quarry::bedrock
