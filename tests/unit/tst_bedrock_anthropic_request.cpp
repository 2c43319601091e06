// Anthropic Messages request parsing and its Converse body, against hand-written fixture pairs.
#include "providers/bedrock/anthropic/AnthropicConverseBuilder.h"
#include "providers/bedrock/anthropic/AnthropicMessagesRequest.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestAnthropicRequest : public QObject
{
    Q_OBJECT

private slots:
    void fixturePairs_data();
    void fixturePairs();
    void betasSplitAndFiltered();
    void droppedFieldsAreReported();
    void toolNamesRoundTrip();
    void countTokensNeedsNoMaxTokens();
    void badInputs_data();
    void badInputs();
    void fieldsMayComeInAnyOrder();
    void firstFieldErrorInBodyOrder();
    void invalidJsonWinsOverFieldErrors();
    void nullMeansAbsent();
    void byteOrderMarkIsSkipped();
    void toolJsonGoesOnAsWritten();
};

namespace {

QJsonObject fixture(const QString &name)
{
    return QJsonDocument::fromJson(quarry::test::readData(u"anthropic/requests/"_s % name % u".json"_s))
        .object();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QList<QByteArray> betaHeaders(const QJsonObject &fixture)
{
    QList<QByteArray> headers;
    for (const QJsonValue &value : fixture["betas"_L1].toArray())
        headers.append(value.toString().toUtf8());
    return headers;
}

QStringList strings(const QJsonValue &array)
{
    QStringList list;
    for (const QJsonValue &value : array.toArray())
        list.append(value.toString());
    return list;
}

} // namespace

void TestAnthropicRequest::fixturePairs_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"text-system-cache", "tools-round-trip", "images-and-thinking",
                             "tool-history-no-tools", "long-tool-name", "tool-choice-none"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestAnthropicRequest::fixturePairs()
{
    QFETCH(QString, name);
    const QJsonObject data = fixture(name);
    const auto request = parseAnthropicRequest(compact(data["request"_L1].toObject()));
    QVERIFY2(request.ok(), qPrintable(request.ok() ? QString() : request.error()));
    const AnthropicConverseRequest converse =
        AnthropicConverseBuilder(betaHeaders(data)).build(request.value());
    const QJsonDocument actual = QJsonDocument::fromJson(converse.toJson());
    const QJsonDocument wanted(data["converse"_L1].toObject());
    if (actual != wanted) {
        qWarning("actual:   %s", actual.toJson(QJsonDocument::Compact).constData());
        qWarning("expected: %s", wanted.toJson(QJsonDocument::Compact).constData());
    }
    QCOMPARE(actual, wanted);
    QVERIFY(!converse.toJson().contains('\n'));
}

void TestAnthropicRequest::betasSplitAndFiltered()
{
    const QJsonObject data = fixture(u"text-system-cache"_s);
    const auto request = parseAnthropicRequest(compact(data["request"_L1].toObject()));
    QVERIFY(request.ok());
    const auto converse = AnthropicConverseBuilder(betaHeaders(data)).build(request.value());
    QCOMPARE(converse.forwardedBetas, strings(data["forwardedBetas"_L1]));
    QCOMPARE(converse.droppedBetas, strings(data["droppedBetas"_L1]));
    // No accepted flag at all: no anthropic_beta field (Bedrock rejects an empty list).
    const auto none = AnthropicConverseBuilder({"claude-code-20250219"_ba}).build(request.value());
    const QJsonObject sent = QJsonDocument::fromJson(none.toJson()).object();
    QVERIFY(!sent["additionalModelRequestFields"_L1].toObject().contains("anthropic_beta"_L1));
}

void TestAnthropicRequest::droppedFieldsAreReported()
{
    const auto request = parseAnthropicRequest(
        R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],
            "metadata":{"user_id":"u"},"service_tier":"auto","stream":true})"_ba);
    QVERIFY(request.ok());
    QStringList dropped = request->droppedFields;
    dropped.sort();
    QCOMPARE(dropped, (QStringList{u"metadata"_s, u"service_tier"_s}));
    QVERIFY(request->stream);
    QCOMPARE(request->maxTokens, 5);
}

void TestAnthropicRequest::toolNamesRoundTrip()
{
    const QString longName =
        u"mcp__filesystem__read.text.file.from.the.workspace.with.a.very.long.descriptive.name"_s;
    const ToolNameMapper names({longName, u"get.weather"_s, u"get_weather"_s, u"ok-name"_s});
    // get_weather is a real client name, so get.weather cannot take it.
    QCOMPARE(names.toBedrock(u"get_weather"_s), u"get_weather"_s);
    const QString mapped = names.toBedrock(u"get.weather"_s);
    QVERIFY(mapped != u"get_weather"_s);
    QVERIFY(ToolNameMapper::isValidBedrockName(mapped));
    QCOMPARE(names.toClient(mapped), u"get.weather"_s);
    QCOMPARE(names.toBedrock(longName).size(), 64);
    QCOMPARE(names.toClient(names.toBedrock(longName)), longName);
    QCOMPARE(names.toBedrock(u"ok-name"_s), u"ok-name"_s);
    QCOMPARE(names.toClient(u"unknown"_s), u"unknown"_s);
}

void TestAnthropicRequest::countTokensNeedsNoMaxTokens()
{
    const QByteArray body = R"({"model":"m","messages":[{"role":"user","content":"x"}]})"_ba;
    QVERIFY(!parseAnthropicRequest(body).ok());
    QVERIFY(parseAnthropicRequest(body, AnthropicEndpoint::CountTokens).ok());
}

void TestAnthropicRequest::badInputs_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("errorStart");
    const QByteArray msgs = R"("messages":[{"role":"user","content":"x"}])"_ba;
    QTest::newRow("not json") << "{"_ba << u"invalid JSON"_s;
    QTest::newRow("array") << "[]"_ba << u"request body:"_s;
    QTest::newRow("no max_tokens") << "{"_ba + msgs + "}"_ba << u"max_tokens: required"_s;
    QTest::newRow("max_tokens zero") << R"({"max_tokens":0,)"_ba + msgs + "}"_ba
                                     << u"max_tokens: must be at least 1"_s;
    QTest::newRow("no messages") << R"({"max_tokens":5})"_ba << u"messages: required"_s;
    QTest::newRow("empty messages") << R"({"max_tokens":5,"messages":[]})"_ba
                                    << u"messages: must not be empty"_s;
    QTest::newRow("unknown field") << R"({"max_tokens":5,"frobnicate":1,)"_ba + msgs + "}"_ba
                                   << u"frobnicate: unknown field"_s;
    QTest::newRow("bad role") << R"({"max_tokens":5,"messages":[{"role":"system","content":"x"}]})"_ba
                              << u"messages[0].role:"_s;
    QTest::newRow("url image")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]})"_ba
        << u"messages[0].content[0].source.type: 'url' image sources are not supported"_s;
    QTest::newRow("bmp image")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/bmp","data":"AA=="}}]}]})"_ba
        << u"messages[0].content[0].source.media_type:"_s;
    QTest::newRow("document block")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{}}]}]})"_ba
        << u"messages[0].content[0].type: unsupported content block type 'document'"_s;
    QTest::newRow("tool_use in user turn")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_use","id":"a","name":"b","input":{}}]}]})"_ba
        << u"messages[0].content[0].type: 'tool_use' blocks belong in assistant messages"_s;
    QTest::newRow("tool_use input not object")
        << R"({"max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"b","input":"{}"}]}]})"_ba
        << u"messages[0].content[0].input: must be an object"_s;
    QTest::newRow("tool_result no id")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]})"_ba
        << u"messages[0].content[0].tool_use_id: must be a string"_s;
    QTest::newRow("thinking without signature")
        << R"({"max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"t"}]}]})"_ba
        << u"messages[0].content[0].signature: must be a string"_s;
    QTest::newRow("bad cache_control")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"forever"}}]}]})"_ba
        << u"messages[0].content[0].cache_control.type:"_s;
    QTest::newRow("system image")
        << R"({"max_tokens":5,"system":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}],)"_ba +
               msgs + "}"_ba
        << u"system[0].type:"_s;
    QTest::newRow("server tool")
        << R"({"max_tokens":5,"tools":[{"type":"web_search_20250305","name":"web_search"}],)"_ba + msgs +
               "}"_ba
        << u"tools[0].type: server tool 'web_search_20250305'"_s;
    QTest::newRow("tool without schema") << R"({"max_tokens":5,"tools":[{"name":"a"}],)"_ba + msgs + "}"_ba
                                         << u"tools[0].input_schema: must be an object"_s;
    QTest::newRow("tool_choice tool without name")
        << R"({"max_tokens":5,"tool_choice":{"type":"tool"},)"_ba + msgs + "}"_ba
        << u"tool_choice.name: required"_s;
    QTest::newRow("tool_choice bad") << R"({"max_tokens":5,"tool_choice":{"type":"required"},)"_ba + msgs +
                                            "}"_ba
                                     << u"tool_choice.type:"_s;
    QTest::newRow("thinking small budget")
        << R"({"max_tokens":5,"thinking":{"type":"enabled","budget_tokens":100},)"_ba + msgs + "}"_ba
        << u"thinking.budget_tokens: must be at least 1024"_s;
    QTest::newRow("temperature string")
        << R"({"max_tokens":5,"temperature":"hot",)"_ba + msgs + "}"_ba << u"temperature: must be a number"_s;
    QTest::newRow("top_k fraction") << R"({"max_tokens":5,"top_k":1.5,)"_ba + msgs + "}"_ba
                                    << u"top_k: must be an integer"_s;
    QTest::newRow("stop_sequences string") << R"({"max_tokens":5,"stop_sequences":"END",)"_ba + msgs + "}"_ba
                                           << u"stop_sequences: must be an array"_s;
    QTest::newRow("stream string") << R"({"max_tokens":5,"stream":"yes",)"_ba + msgs + "}"_ba
                                   << u"stream: must be a boolean"_s;
    QTest::newRow("model number") << R"({"model":5,"max_tokens":5,)"_ba + msgs + "}"_ba
                                  << u"model: must be a string"_s;
    QTest::newRow("messages object") << R"({"max_tokens":5,"messages":{}})"_ba
                                     << u"messages: must be an array"_s;
    QTest::newRow("message not object")
        << R"({"max_tokens":5,"messages":["hi"]})"_ba << u"messages[0]: must be an object"_s;
    QTest::newRow("content null") << R"({"max_tokens":5,"messages":[{"role":"user","content":null}]})"_ba
                                  << u"messages[0].content: must be a string or an array of content blocks"_s;
    QTest::newRow("block not object") << R"({"max_tokens":5,"messages":[{"role":"user","content":[7]}]})"_ba
                                      << u"messages[0].content[0]: must be an object"_s;
    QTest::newRow("text block number")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":5}]}]})"_ba
        << u"messages[0].content[0].text: must be a string"_s;
    QTest::newRow("image without data")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png"}}]}]})"_ba
        << u"messages[0].content[0].source.data: must be a non-empty base64 string"_s;
    QTest::newRow("is_error string")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","is_error":"yes"}]}]})"_ba
        << u"messages[0].content[0].is_error: must be a boolean"_s;
    QTest::newRow("tool_result content number")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":5}]}]})"_ba
        << u"messages[0].content[0].content: must be a string or an array of content blocks"_s;
    QTest::newRow("tool_result bad part")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":[{"type":"text"}]}]}]})"_ba
        << u"messages[0].content[0].content[0].type: must be 'text' (with a string 'text') or 'image'"_s;
    QTest::newRow("tool_result url image")
        << R"({"max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":[{"type":"image","source":{"type":"url"}}]}]}]})"_ba
        << u"messages[0].content[0].content[0].source.type: 'url' image sources are not supported"_s;
    QTest::newRow("redacted thinking without data")
        << R"({"max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"redacted_thinking"}]}]})"_ba
        << u"messages[0].content[0].data: must be a string"_s;
    QTest::newRow("tool description number")
        << R"({"max_tokens":5,"tools":[{"name":"a","description":1,"input_schema":{}}],)"_ba + msgs + "}"_ba
        << u"tools[0].description: must be a string"_s;
    QTest::newRow("tool empty name") << R"({"max_tokens":5,"tools":[{"name":"","input_schema":{}}],)"_ba +
                                            msgs + "}"_ba
                                     << u"tools[0].name: must be a non-empty string"_s;
    QTest::newRow("tools object") << R"({"max_tokens":5,"tools":{},)"_ba + msgs + "}"_ba
                                  << u"tools: must be an array"_s;
    QTest::newRow("thinking without budget")
        << R"({"max_tokens":5,"thinking":{"type":"enabled"},)"_ba + msgs + "}"_ba
        << u"thinking.budget_tokens: must be an integer"_s;
    QTest::newRow("thinking bad type") << R"({"max_tokens":5,"thinking":{"type":"on"},)"_ba + msgs + "}"_ba
                                       << u"thinking.type: must be 'enabled' or 'disabled'"_s;
    QTest::newRow("top_k negative") << R"({"max_tokens":5,"top_k":-1,)"_ba + msgs + "}"_ba
                                    << u"top_k: must be at least 0"_s;
    QTest::newRow("stop_sequences number")
        << R"({"max_tokens":5,"stop_sequences":["a",3],)"_ba + msgs + "}"_ba
        << u"stop_sequences[1]: must be a string"_s;
}

void TestAnthropicRequest::badInputs()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, errorStart);
    const auto request = parseAnthropicRequest(body);
    QVERIFY(!request.ok());
    if (!request.error().startsWith(errorStart))
        qWarning("error: %s", qPrintable(request.error()));
    QVERIFY(request.error().startsWith(errorStart));
}

// The same request with every object's members in reverse order reads the same: Quarry reads
// fields as they come and checks what depends on another field (a block's type, a message's role)
// once the object is read.
void TestAnthropicRequest::fieldsMayComeInAnyOrder()
{
    const QByteArray usual = R"({"model":"m","max_tokens":100,"system":[{"type":"text","text":"Be brief.",
        "cache_control":{"type":"ephemeral"}}],
        "messages":[{"role":"user","content":"Weather?"},
        {"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},
            {"type":"tool_use","id":"c1","name":"get_weather","input":{"city":"Paris"}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","is_error":true,
            "content":[{"type":"text","text":"sunny"}]}]}],
        "tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object"},
            "cache_control":{"type":"ephemeral"}}],
        "tool_choice":{"type":"tool","name":"get_weather"},
        "thinking":{"type":"enabled","budget_tokens":2048},"temperature":1,"stop_sequences":["END"]})"_ba;
    const QByteArray reversed = R"({"stop_sequences":["END"],"temperature":1,
        "thinking":{"budget_tokens":2048,"type":"enabled"},
        "tool_choice":{"name":"get_weather","type":"tool"},
        "tools":[{"cache_control":{"type":"ephemeral"},"input_schema":{"type":"object"},"description":"d",
            "name":"get_weather"}],
        "messages":[{"content":"Weather?","role":"user"},
        {"content":[{"signature":"s","thinking":"t","type":"thinking"},
            {"input":{"city":"Paris"},"name":"get_weather","id":"c1","type":"tool_use"}],"role":"assistant"},
        {"content":[{"content":[{"text":"sunny","type":"text"}],"is_error":true,"tool_use_id":"c1",
            "type":"tool_result"}],"role":"user"}],
        "system":[{"cache_control":{"type":"ephemeral"},"text":"Be brief.","type":"text"}],
        "max_tokens":100,"model":"m"})"_ba;
    const auto first = parseAnthropicRequest(usual);
    const auto second = parseAnthropicRequest(reversed);
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error()));
    QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error()));
    QCOMPARE(second->messages.size(), 3);
    QCOMPARE(second->messages[1].content[1].input, "{\"city\":\"Paris\"}"_ba);
    QVERIFY(second->messages[2].content[0].isError);
    QVERIFY(second->system[0].cacheControl);
    QCOMPARE(second->thinkingBudget.value_or(0), 2048);
    const QByteArray converse = AnthropicConverseBuilder(QList<QByteArray>{}).build(second.value()).toJson();
    QCOMPARE(converse, AnthropicConverseBuilder(QList<QByteArray>{}).build(first.value()).toJson());
    const QJsonObject sent = QJsonDocument::fromJson(converse).object();
    QCOMPARE(sent[u"toolConfig"][u"toolChoice"][u"tool"][u"name"].toString(), u"get_weather"_s);
    QCOMPARE(sent[u"messages"][2][u"content"][0][u"toolResult"][u"status"].toString(), u"error"_s);
}

void TestAnthropicRequest::firstFieldErrorInBodyOrder()
{
    const auto request = parseAnthropicRequest(
        R"({"temperature":"hot","max_tokens":5,"frobnicate":1,"messages":[{"role":"user","content":"x"}]})"_ba);
    QVERIFY(!request.ok());
    QCOMPARE(request.error(), u"temperature: must be a number"_s);
    const auto later = parseAnthropicRequest(
        R"({"frobnicate":1,"temperature":"hot","max_tokens":5,"messages":[{"role":"user","content":"x"}]})"_ba);
    QVERIFY(!later.ok());
    QCOMPARE(later.error(), u"frobnicate: unknown field"_s);
    // Dropped fields are listed in the order sent.
    const auto dropped = parseAnthropicRequest(
        R"({"service_tier":"auto","max_tokens":5,"metadata":{},"messages":[{"role":"user","content":"x"}]})"_ba);
    QVERIFY(dropped.ok());
    QCOMPARE(dropped->droppedFields, (QStringList{u"service_tier"_s, u"metadata"_s}));
}

// A body cut off or garbled is reported as invalid JSON even when a field before the fault is
// wrong too: the client's first problem is the JSON.
void TestAnthropicRequest::invalidJsonWinsOverFieldErrors()
{
    for (const QByteArray &body : {R"({"model":5,"messages":[{"role":"robot")"_ba,
                                   R"({"stream":"yes","max_tokens":5,"messages":[]} trailing)"_ba}) {
        const auto request = parseAnthropicRequest(body);
        QVERIFY(!request.ok());
        QVERIFY2(request.error().startsWith(u"invalid JSON at offset "_s), qPrintable(request.error()));
    }
}

void TestAnthropicRequest::nullMeansAbsent()
{
    const auto request = parseAnthropicRequest(
        R"({"model":null,"max_tokens":5,"system":null,"stream":null,"temperature":null,"top_p":null,
            "top_k":null,"stop_sequences":null,"tools":null,"tool_choice":null,"thinking":null,"metadata":null,
            "messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":null,
                "is_error":null,"cache_control":null}]}]})"_ba);
    QVERIFY2(request.ok(), qPrintable(request.ok() ? QString() : request.error()));
    QVERIFY(request->model.isEmpty());
    QVERIFY(!request->stream);
    QVERIFY(!request->temperature && !request->topK && !request->toolChoice && !request->thinkingBudget);
    QVERIFY(request->droppedFields.isEmpty());
    QVERIFY(request->messages[0].content[0].result.isEmpty());
    // Required fields are still required when null.
    QCOMPARE(
        parseAnthropicRequest(R"({"max_tokens":null,"messages":[{"role":"user","content":"x"}]})"_ba).error(),
        u"max_tokens: required"_s);
    QCOMPARE(parseAnthropicRequest(R"({"max_tokens":5,"messages":null})"_ba).error(),
             u"messages: required"_s);
}

// Qt's parser, which read Messages bodies before, skips a UTF-8 byte order mark; so does Quarry's.
void TestAnthropicRequest::byteOrderMarkIsSkipped()
{
    const auto request = parseAnthropicRequest(
        "\xEF\xBB\xBF{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"_ba);
    QVERIFY2(request.ok(), qPrintable(request.ok() ? QString() : request.error()));
    QCOMPARE(request->messages.size(), 1);
}

// Tool inputs and schemas reach Bedrock as the client wrote them, made compact: Qt's JSON turned
// integers above 2^53 into doubles and kept only the last of duplicate keys.
void TestAnthropicRequest::toolJsonGoesOnAsWritten()
{
    const auto request = parseAnthropicRequest(
        R"({"max_tokens":5,"tools":[{"name":"t","input_schema":{ "type" : "object", "maximum": 9007199254740993 }}],
            "messages":[{"role":"assistant","content":[{"type":"tool_use","id":"c","name":"t",
            "input":{"id": 12345678901234567890, "tags": [ "a" , "b" ]}}]}]})"_ba);
    QVERIFY2(request.ok(), qPrintable(request.ok() ? QString() : request.error()));
    QCOMPARE(request->tools[0].inputSchema, R"({"type":"object","maximum":9007199254740993})"_ba);
    QCOMPARE(request->messages[0].content[0].input, R"({"id":12345678901234567890,"tags":["a","b"]})"_ba);
    const QByteArray converse = AnthropicConverseBuilder(QList<QByteArray>{}).build(request.value()).toJson();
    QVERIFY2(converse.contains(R"("inputSchema":{"json":{"type":"object","maximum":9007199254740993}})"),
             converse.constData());
    QVERIFY2(converse.contains(R"("input":{"id":12345678901234567890,"tags":["a","b"]})"),
             converse.constData());
}

QTEST_GUILESS_MAIN(TestAnthropicRequest)
#include "tst_bedrock_anthropic_request.moc"
