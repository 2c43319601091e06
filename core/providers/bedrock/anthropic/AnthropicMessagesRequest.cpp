// Strict parse of an Anthropic Messages request into AnthropicRequest; errors name the field.
// The body is read once, in place, by the pull reader, as chat bodies are: Claude Code sends its
// 20-odd tools with every request, and their schemas went through Qt JSON and back each time.
#include "providers/bedrock/anthropic/AnthropicMessagesRequest.h"

#include "providers/bedrock/json/BodyReader.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

using Kind = JsonReader::Kind;
using util::elementPath;

// Fields Anthropic defines that have no Converse equivalent. Accepted (SDKs and Claude Code send
// them) and reported to the caller, never silently dropped.
constexpr QByteArrayView DroppableFields[] = {"metadata", "service_tier", "container", "context_management",
                                              "mcp_servers"};

const QList<std::pair<QString, AnthropicBlock::Kind>> &blockKinds()
{
    static const QList<std::pair<QString, AnthropicBlock::Kind>> kinds = {
        {u"text"_s, AnthropicBlock::Kind::Text},
        {u"image"_s, AnthropicBlock::Kind::Image},
        {u"tool_use"_s, AnthropicBlock::Kind::ToolUse},
        {u"tool_result"_s, AnthropicBlock::Kind::ToolResult},
        {u"thinking"_s, AnthropicBlock::Kind::Thinking},
        {u"redacted_thinking"_s, AnthropicBlock::Kind::RedactedThinking},
    };
    return kinds;
}

enum class CacheControl { None, Ephemeral, Invalid };

// The structs below hold the members of an object as read, before what decides their meaning (a
// block's type, a message's role) is known: fields may come in any order. A string member sent as
// another kind reads as empty, as Qt's toString() made it before.
struct ImageSourceFields
{
    QString type;
    QString mediaType;
    std::optional<QString> data;
};

// One part of a tool_result's content.
struct ResultPartFields
{
    QString type;
    std::optional<QString> text;
    ImageSourceFields source;
};

// A string or an array of parts (tool_result content), or blocks (message content, system).
template <typename Part> struct TextOrParts
{
    enum class Shape { Absent, Text, Parts, Invalid };
    Shape shape = Shape::Absent;
    QString text;
    QList<Part> parts;
};

struct BlockFields
{
    // Each block kind reads only some of these (checkBlockFields()).
    QString type;
    std::optional<QString> text, thinking, signature, data, id, name, toolUseId;
    std::optional<QByteArray> input; // only when an object
    ImageSourceFields source;
    TextOrParts<ResultPartFields> content;
    std::optional<bool> isError; // nullopt: absent or null
    bool isErrorInvalid = false;
    CacheControl cacheControl = CacheControl::None;
};

// A message's content or the system prompt; a block that is not an object is nullopt.
using BlockList = TextOrParts<std::optional<BlockFields>>;

struct ToolFields
{
    QString type = u"custom"_s;
    std::optional<QString> name;
    std::optional<QString> description;
    bool descriptionInvalid = false;
    std::optional<QByteArray> inputSchema; // only when an object
    CacheControl cacheControl = CacheControl::None;
};

// Reads one body into an AnthropicRequest.
class AnthropicRequestReader : BodyReader
{
public:
    AnthropicRequestReader(QByteArrayView body, AnthropicEndpoint endpoint)
        : BodyReader(body), m_endpoint(endpoint)
    {}

    Result<AnthropicRequest> read()
    {
        if (auto error = readBody([this](QByteArrayView key) { readField(key); }, [this] { checkWhole(); }))
            return Result<AnthropicRequest>::failure(*error);
        return std::move(m_request);
    }

private:
    // A value passed on to Bedrock as the client wrote it (compacted), when it is an object.
    std::optional<QByteArray> readObjectText()
    {
        if (m_reader.peek() != Kind::Object)
            return std::nullopt;
        return m_reader.readCompact();
    }

    void readField(QByteArrayView key)
    {
        if (key == "model")
            readString(u"model"_s, m_request.model);
        else if (key == "max_tokens" && m_endpoint == AnthropicEndpoint::Messages)
            readMaxTokens();
        else if (key == "system")
            readSystem();
        else if (key == "messages")
            readMessages();
        else if (key == "stream")
            readBool(u"stream"_s, m_streamAsked);
        else if (key == "temperature")
            readNumber(u"temperature"_s, m_request.temperature);
        else if (key == "top_p")
            readNumber(u"top_p"_s, m_request.topP);
        else if (key == "top_k")
            readTopK();
        else if (key == "stop_sequences")
            readStopSequences();
        else if (key == "tools")
            readTools();
        else if (key == "tool_choice")
            readToolChoice();
        else if (key == "thinking")
            readThinking();
        else
            readOtherField(key);
    }

    // Anthropic itself refuses unknown fields ("Extra inputs are not permitted"); so does Quarry.
    // count_tokens takes max_tokens (SDKs send it) but has no use for it.
    void readOtherField(QByteArrayView key)
    {
        const QString name = QString::fromUtf8(key);
        const bool droppable = std::find(std::begin(DroppableFields), std::end(DroppableFields), key) !=
                                   std::end(DroppableFields) ||
                               key == "max_tokens";
        if (!droppable)
            return fail(name % u": unknown field"_s);
        if (!skipNull() && !m_request.droppedFields.contains(name))
            m_request.droppedFields.append(name);
    }

    void readMaxTokens()
    {
        if (skipNull())
            return;
        m_maxTokensSent = true;
        if (const auto maxTokens = readInteger(u"max_tokens"_s, 1))
            m_request.maxTokens = *maxTokens;
    }

    void readTopK()
    {
        if (skipNull())
            return;
        if (const auto topK = readInteger(u"top_k"_s, 0))
            m_request.topK = *topK;
    }

    void readStopSequences()
    {
        if (skipNull())
            return;
        if (m_reader.peek() != Kind::Array)
            return fail(u"stop_sequences: must be an array of strings"_s);
        m_request.stopSequences = readStringList(u"stop_sequences"_s);
    }

    // --- content blocks ---

    // cache_control {type: "ephemeral", ttl?} marks a prompt-caching breakpoint after the block.
    CacheControl readCacheControl()
    {
        if (skipNull())
            return CacheControl::None;
        if (m_reader.peek() != Kind::Object)
            return CacheControl::Invalid;
        QString type;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "type")
                type = readStringOrEmpty();
        });
        return type == "ephemeral"_L1 ? CacheControl::Ephemeral : CacheControl::Invalid;
    }

    ImageSourceFields readImageSource()
    {
        ImageSourceFields source;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "type")
                source.type = readStringOrEmpty();
            else if (key == "media_type")
                source.mediaType = readStringOrEmpty();
            else if (key == "data")
                source.data = m_reader.readString();
        });
        return source;
    }

    // The content of a message or of a tool_result, or the system prompt: a string or an array of
    // parts, each read by readPart().
    template <typename Part, typename ReadPart> TextOrParts<Part> readTextOrParts(ReadPart readPart)
    {
        TextOrParts<Part> content;
        switch (m_reader.peek()) {
        case Kind::String:
            content.shape = TextOrParts<Part>::Shape::Text;
            content.text = readStringOrEmpty();
            break;
        case Kind::Array:
            content.shape = TextOrParts<Part>::Shape::Parts;
            m_reader.readArray([&] { content.parts.append(readPart()); });
            break;
        case Kind::Null:
            m_reader.skipValue();
            break;
        default:
            content.shape = TextOrParts<Part>::Shape::Invalid;
            break;
        }
        return content;
    }

    ResultPartFields readResultPart()
    {
        ResultPartFields part;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "type")
                part.type = readStringOrEmpty();
            else if (key == "text")
                part.text = m_reader.readString();
            else if (key == "source")
                part.source = readImageSource();
        });
        return part;
    }

    BlockFields readBlock()
    {
        BlockFields block;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "type")
                block.type = readStringOrEmpty();
            else if (key == "text")
                block.text = m_reader.readString();
            else if (key == "thinking")
                block.thinking = m_reader.readString();
            else if (key == "signature")
                block.signature = m_reader.readString();
            else if (key == "data")
                block.data = m_reader.readString();
            else if (key == "id")
                block.id = m_reader.readString();
            else if (key == "name")
                block.name = m_reader.readString();
            else if (key == "tool_use_id")
                block.toolUseId = m_reader.readString();
            else if (key == "input")
                block.input = readObjectText();
            else if (key == "source")
                block.source = readImageSource();
            else if (key == "content")
                block.content = readTextOrParts<ResultPartFields>([this] { return readResultPart(); });
            else if (key == "is_error")
                readIsError(block);
            else if (key == "cache_control")
                block.cacheControl = readCacheControl();
        });
        return block;
    }

    void readIsError(BlockFields &block)
    {
        if (skipNull())
            return;
        block.isError = m_reader.readBool();
        block.isErrorInvalid = !block.isError;
    }

    BlockList readBlocks()
    {
        return readTextOrParts<std::optional<BlockFields>>([this]() -> std::optional<BlockFields> {
            if (m_reader.peek() != Kind::Object)
                return std::nullopt; // "must be an object", said by checkBlocks() with its path
            return readBlock();
        });
    }

    // --- top-level lists ---

    void readSystem()
    {
        if (skipNull())
            return;
        const auto blocks = checkBlocks(u"system"_s, readBlocks(), false);
        if (!blocks)
            return;
        for (qsizetype i = 0; i < blocks->size(); ++i) {
            if (blocks->at(i).kind != AnthropicBlock::Kind::Text)
                return fail(elementPath(u"system"_s, i) % u".type: system blocks must be 'text'"_s);
        }
        m_request.system = *blocks;
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
        if (m_request.messages.isEmpty()) // after an element's error, that error is the one reported
            fail(u"messages: must not be empty"_s);
    }

    std::optional<AnthropicMessage> readMessage(const QString &path)
    {
        if (m_reader.peek() != Kind::Object) {
            fail(path % u": must be an object"_s);
            return std::nullopt;
        }
        QString role;
        BlockList content;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "role")
                role = readStringOrEmpty();
            else if (key == "content")
                content = readBlocks();
        });
        if (role != "user"_L1 && role != "assistant"_L1) {
            fail(path % u".role: must be 'user' or 'assistant'"_s);
            return std::nullopt;
        }
        AnthropicMessage message;
        message.assistant = role == "assistant"_L1;
        auto blocks = checkBlocks(path % u".content"_s, std::move(content), message.assistant);
        if (!blocks)
            return std::nullopt;
        message.content = std::move(*blocks);
        return message;
    }

    void readTools()
    {
        if (skipNull())
            return;
        if (m_reader.peek() != Kind::Array)
            return fail(u"tools: must be an array"_s);
        m_request.tools =
            readElements(u"tools"_s, [this](const QString &path) { return checkTool(path, readTool()); });
    }

    ToolFields readTool()
    {
        ToolFields tool;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "type") {
                if (m_reader.peek() == Kind::String)
                    tool.type = readStringOrEmpty();
            } else if (key == "name") {
                tool.name = m_reader.readString();
            } else if (key == "description") {
                if (!skipNull()) {
                    tool.description = m_reader.readString();
                    tool.descriptionInvalid = !tool.description;
                }
            } else if (key == "input_schema") {
                tool.inputSchema = readObjectText();
            } else if (key == "cache_control") {
                tool.cacheControl = readCacheControl();
            }
        });
        return tool;
    }

    void readToolChoice()
    {
        if (skipNull())
            return;
        static const QList<std::pair<QString, AnthropicToolChoice::Type>> types = {
            {u"auto"_s, AnthropicToolChoice::Type::Auto},
            {u"any"_s, AnthropicToolChoice::Type::Any},
            {u"tool"_s, AnthropicToolChoice::Type::Tool},
            {u"none"_s, AnthropicToolChoice::Type::None},
        };
        QString type;
        AnthropicToolChoice choice;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "type")
                type = readStringOrEmpty();
            else if (key == "name")
                choice.name = readStringOrEmpty();
        });
        const auto known =
            std::find_if(types.begin(), types.end(), [&](const auto &t) { return t.first == type; });
        if (known == types.end())
            return fail(u"tool_choice.type: must be one of auto, any, tool, none"_s);
        choice.type = known->second;
        if (choice.type == AnthropicToolChoice::Type::Tool && choice.name.isEmpty())
            return fail(u"tool_choice.name: required when type is 'tool'"_s);
        m_request.toolChoice = choice;
    }

    void readThinking()
    {
        if (skipNull())
            return;
        QString type;
        std::optional<qint64> budget;
        m_reader.readObject([&](QByteArrayView key) {
            if (key == "type")
                type = readStringOrEmpty();
            else if (key == "budget_tokens")
                budget = m_reader.readInteger();
        });
        if (type == "disabled"_L1)
            return;
        if (type != "enabled"_L1)
            return fail(u"thinking.type: must be 'enabled' or 'disabled'"_s);
        if (!budget)
            return fail(u"thinking.budget_tokens: must be an integer"_s);
        if (*budget < MinThinkingBudget)
            return fail(u"thinking.budget_tokens: must be at least "_s % QString::number(MinThinkingBudget));
        m_request.thinkingBudget = budget;
    }

    // --- checks, once an object is read ---

    std::optional<QList<AnthropicBlock>> checkBlocks(const QString &path, BlockList blocks, bool assistant)
    {
        using Shape = BlockList::Shape;
        if (blocks.shape == Shape::Text) {
            AnthropicBlock text;
            text.text = std::move(blocks.text);
            return QList<AnthropicBlock>{text};
        }
        if (blocks.shape != Shape::Parts) {
            fail(path % u": must be a string or an array of content blocks"_s);
            return std::nullopt;
        }
        QList<AnthropicBlock> checked;
        checked.reserve(blocks.parts.size());
        for (qsizetype i = 0; i < blocks.parts.size(); ++i) {
            const QString blockPath = elementPath(path, i);
            if (!blocks.parts[i]) {
                fail(blockPath % u": must be an object"_s);
                return std::nullopt;
            }
            auto block = checkBlock(blockPath, std::move(*blocks.parts[i]), assistant);
            if (!block)
                return std::nullopt;
            checked.append(std::move(*block));
        }
        return checked;
    }

    std::optional<AnthropicBlock> checkBlock(const QString &path, BlockFields fields, bool assistant)
    {
        const auto &kinds = blockKinds();
        const auto kind =
            std::find_if(kinds.begin(), kinds.end(), [&](const auto &k) { return k.first == fields.type; });
        if (kind == kinds.end()) {
            fail(path % u".type: unsupported content block type '"_s % fields.type %
                 u"' (supported: text, image, tool_use, tool_result, thinking, redacted_thinking)"_s);
            return std::nullopt;
        }
        AnthropicBlock block;
        block.kind = kind->second;
        const bool assistantOnly = block.kind == AnthropicBlock::Kind::ToolUse ||
                                   block.kind == AnthropicBlock::Kind::Thinking ||
                                   block.kind == AnthropicBlock::Kind::RedactedThinking;
        if (assistantOnly != assistant && block.kind != AnthropicBlock::Kind::Text) {
            fail(path % u".type: '"_s % fields.type % u"' blocks belong in "_s %
                 (assistantOnly ? u"assistant"_s : u"user"_s) % u" messages"_s);
            return std::nullopt;
        }
        if (!checkBlockFields(path, std::move(fields), block))
            return std::nullopt;
        return block;
    }

    // Moves the fields of the block's kind into block; false after a field error.
    bool checkBlockFields(const QString &path, BlockFields fields, AnthropicBlock &block)
    {
        using K = AnthropicBlock::Kind;
        const auto required = [&](std::optional<QString> &value, QLatin1StringView key, QString &into) {
            if (!value) {
                fail(path % u'.' % key % u": must be a string"_s);
                return false;
            }
            into = std::move(*value);
            return true;
        };
        bool ok = true;
        switch (block.kind) {
        case K::Text:
            ok = required(fields.text, "text"_L1, block.text);
            break;
        case K::Image:
            if (auto image = checkImage(path, fields.source))
                block.image = std::move(*image);
            else
                ok = false;
            break;
        case K::ToolUse:
            ok = required(fields.id, "id"_L1, block.id) && required(fields.name, "name"_L1, block.name);
            if (ok && !fields.input) {
                fail(path % u".input: must be an object"_s);
                ok = false;
            }
            block.input = std::move(fields.input).value_or(QByteArray());
            break;
        case K::ToolResult:
            ok = required(fields.toolUseId, "tool_use_id"_L1, block.id) &&
                 checkToolResult(path, fields, block);
            break;
        case K::Thinking:
            ok = required(fields.thinking, "thinking"_L1, block.text) &&
                 required(fields.signature, "signature"_L1, block.signature);
            break;
        case K::RedactedThinking:
            ok = required(fields.data, "data"_L1, block.text);
            break;
        }
        if (ok && fields.cacheControl == CacheControl::Invalid) {
            fail(path % u".cache_control.type: must be 'ephemeral'"_s);
            ok = false;
        }
        block.cacheControl = fields.cacheControl == CacheControl::Ephemeral;
        return ok;
    }

    bool checkToolResult(const QString &path, BlockFields &fields, AnthropicBlock &block)
    {
        if (fields.isErrorInvalid) {
            fail(path % u".is_error: must be a boolean"_s);
            return false;
        }
        block.isError = fields.isError.value_or(false);
        const QString contentPath = path % u".content"_s;
        using Shape = TextOrParts<ResultPartFields>::Shape;
        switch (fields.content.shape) {
        case Shape::Absent:
            return true;
        case Shape::Text:
            block.result = {AnthropicResultPart{false, std::move(fields.content.text), {}}};
            return true;
        case Shape::Invalid:
            fail(contentPath % u": must be a string or an array of content blocks"_s);
            return false;
        case Shape::Parts:
            break;
        }
        for (qsizetype i = 0; i < fields.content.parts.size(); ++i) {
            ResultPartFields &part = fields.content.parts[i];
            const QString partPath = elementPath(contentPath, i);
            if (part.type == "text"_L1 && part.text) {
                block.result.append(AnthropicResultPart{false, std::move(*part.text), {}});
            } else if (part.type == "image"_L1) {
                auto image = checkImage(partPath, part.source);
                if (!image)
                    return false;
                block.result.append(AnthropicResultPart{true, {}, std::move(*image)});
            } else {
                fail(partPath % u".type: must be 'text' (with a string 'text') or 'image'"_s);
                return false;
            }
        }
        return true;
    }

    std::optional<AnthropicImage> checkImage(const QString &path, ImageSourceFields &source)
    {
        if (source.type == "url"_L1 || source.type == "file"_L1) {
            fail(path % u".source.type: '"_s % source.type %
                 u"' image sources are not supported; send the image as base64 "
                 "(Quarry never fetches URLs on a client's behalf)"_s);
            return std::nullopt;
        }
        if (source.type != "base64"_L1) {
            fail(path % u".source.type: must be 'base64'"_s);
            return std::nullopt;
        }
        static const QStringList formats = {u"png"_s, u"jpeg"_s, u"gif"_s, u"webp"_s};
        const QString format = source.mediaType.startsWith("image/"_L1) ? source.mediaType.mid(6) : QString();
        if (!formats.contains(format)) {
            fail(path % u".source.media_type: must be one of image/png, image/jpeg, image/gif, image/webp"_s);
            return std::nullopt;
        }
        if (!source.data || source.data->isEmpty()) {
            fail(path % u".source.data: must be a non-empty base64 string"_s);
            return std::nullopt;
        }
        return AnthropicImage{format, std::move(*source.data)};
    }

    std::optional<AnthropicTool> checkTool(const QString &path, ToolFields fields)
    {
        if (fields.type != "custom"_L1) {
            fail(path % u".type: server tool '"_s % fields.type %
                 u"' is not available through Bedrock Converse"_s);
            return std::nullopt;
        }
        if (!fields.name || fields.name->isEmpty()) {
            fail(path % u".name: must be a non-empty string"_s);
            return std::nullopt;
        }
        if (fields.descriptionInvalid) {
            fail(path % u".description: must be a string"_s);
            return std::nullopt;
        }
        if (!fields.inputSchema) {
            fail(path % u".input_schema: must be an object"_s);
            return std::nullopt;
        }
        if (fields.cacheControl == CacheControl::Invalid) {
            fail(path % u".cache_control.type: must be 'ephemeral'"_s);
            return std::nullopt;
        }
        return AnthropicTool{std::move(*fields.name), std::move(fields.description).value_or(QString()),
                             std::move(*fields.inputSchema), fields.cacheControl == CacheControl::Ephemeral};
    }

    // What can be checked only with the whole body read.
    void checkWhole()
    {
        if (m_endpoint == AnthropicEndpoint::Messages && !m_maxTokensSent)
            fail(u"max_tokens: required"_s);
        if (!m_messagesSent)
            fail(u"messages: required"_s);
        m_request.stream = m_streamAsked && m_endpoint == AnthropicEndpoint::Messages;
    }

    static constexpr qint64 MinThinkingBudget = 1024; // Anthropic's minimum

    AnthropicEndpoint m_endpoint;
    AnthropicRequest m_request;
    bool m_maxTokensSent = false;
    bool m_messagesSent = false;
    bool m_streamAsked = false;
};

} // namespace

Result<AnthropicRequest> parseAnthropicRequest(QByteArrayView body, AnthropicEndpoint endpoint)
{
    return AnthropicRequestReader(body, endpoint).read();
}

} // namespace quarry::bedrock
