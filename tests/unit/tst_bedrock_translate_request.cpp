// OpenAI chat request parsing and its Converse body, against hand-written fixture pairs.
#include "providers/bedrock/openai/ConverseRequestBuilder.h"
#include "providers/bedrock/openai/OpenAiChatRequest.h"
#include "providers/bedrock/converse/ToolNameMapper.h"

#include "TestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

namespace {

// The Converse body as Quarry sends it, read back by Qt's parser.
QJsonObject converseJson(const ChatRequest &request)
{
    QJsonParseError error;
    const QJsonDocument document =
        QJsonDocument::fromJson(buildConverseRequest(request).body.toJson(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("the Converse body is not a JSON object: %s", qPrintable(error.errorString()));
    return document.object();
}

} // namespace

class TestTranslateRequest : public QObject
{
    Q_OBJECT

private slots:
    void fixturePairs_data();
    void fixturePairs();
    void bodyIsCompactJsonWithoutModel();
    void listsIgnoredAndUnknownFields();
    void listsDroppedParameters();
    void noOpValuesAreNotListed();
    void thinkingDropsSamplingParameters();
    void reasoningBudgets_data();
    void reasoningBudgets();
    void toolNameMappingIsDeterministicAndValid();
    void streamOptions();
    void maxCompletionTokensWinsInEitherOrder();
    void keepsMessageDetails();
    void badInputs_data();
    void badInputs();
    void invalidJsonReportsOffset();
    void fieldsMayComeInAnyOrder();
    void invalidJsonWinsOverFieldErrors();
    void nullMeansAbsent();
    void byteOrderMarkIsSkipped();
};

void TestTranslateRequest::fixturePairs_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name :
         {"system-developer-merged", "consecutive-turns-merged", "max-completion-tokens-wins",
          "max-tokens-only", "stop-string", "stop-list", "minimal-with-nulls", "tool-round-trip",
          "tool-call-last-without-tools", "tools-named-choice", "tool-choice-required", "tool-choice-auto",
          "parallel-results-merged", "image-data-url", "reasoning-effort-replay", "thinking-object-signature-replay",
          "response-format-json-schema", "response-format-json-object"}) {
        QTest::newRow(name) << QString::fromLatin1(name);
    }
}

void TestTranslateRequest::fixturePairs()
{
    QFETCH(QString, name);
    const QByteArray input = quarry::test::readData(u"translate/requests/"_s % name % u".openai.json"_s);
    const QByteArray expected = quarry::test::readData(u"translate/requests/"_s % name % u".converse.json"_s);
    const auto request = parseChatRequest(input);
    QVERIFY2(request.ok(), qPrintable(request.ok() ? QString() : request.error()));
    const QJsonDocument actual = QJsonDocument(converseJson(request.value()));
    const QJsonDocument wanted = QJsonDocument::fromJson(expected);
    QVERIFY(wanted.isObject());
    if (actual != wanted) {
        qWarning("actual:   %s", actual.toJson(QJsonDocument::Compact).constData());
        qWarning("expected: %s", wanted.toJson(QJsonDocument::Compact).constData());
    }
    QCOMPARE(actual, wanted);
}

void TestTranslateRequest::bodyIsCompactJsonWithoutModel()
{
    const auto request = parseChatRequest(
        R"({"model":"amazon.nova-lite-v1:0","messages":[{"role":"user","content":"x"}]})"_ba);
    QVERIFY(request.ok());
    QCOMPARE(request->model, u"amazon.nova-lite-v1:0"_s);
    const QByteArray body = QJsonDocument(converseJson(request.value())).toJson();
    QVERIFY(!body.contains("model"));
}

void TestTranslateRequest::listsIgnoredAndUnknownFields()
{
    const auto request =
        parseChatRequest(quarry::test::readData(u"translate/requests/minimal-with-nulls.openai.json"_s));
    QVERIFY(request.ok());
    QStringList ignored = request->droppedParameters;
    ignored.sort();
    QCOMPARE(ignored, (QStringList{u"seed"_s, u"user"_s}));
    QCOMPARE(request->unknownFields, QStringList{u"x_custom"_s});
    QVERIFY(!request->stream);
    QVERIFY(!request->temperature.has_value());
    QVERIFY(!request->maxTokens.has_value());
}

void TestTranslateRequest::listsDroppedParameters()
{
    const auto request = parseChatRequest(
        R"({"messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":2,"seed":1,
            "frequency_penalty":0.5,"presence_penalty":0.1,"logit_bias":{"1":2},"user":"u",
            "service_tier":"auto","parallel_tool_calls":false})"_ba);
    QVERIFY(request.ok());
    QStringList dropped = request->droppedParameters;
    dropped.sort();
    QCOMPARE(dropped, (QStringList{u"frequency_penalty"_s, u"logit_bias"_s, u"logprobs"_s,
                                   u"parallel_tool_calls"_s, u"presence_penalty"_s, u"seed"_s,
                                   u"service_tier"_s, u"top_logprobs"_s, u"user"_s}));
    // Nothing dropped leaks into the Converse body.
    const QByteArray body = QJsonDocument(converseJson(request.value())).toJson(QJsonDocument::Compact);
    for (const QString &name : dropped)
        QVERIFY2(!body.contains(QByteArray("\"" + name.toUtf8() + "\":")), qPrintable(name));
}

void TestTranslateRequest::noOpValuesAreNotListed()
{
    const auto request = parseChatRequest(
        R"({"messages":[{"role":"user","content":"x"}],"logprobs":false,"parallel_tool_calls":true,"n":1})"_ba);
    QVERIFY(request.ok());
    QCOMPARE(request->droppedParameters, QStringList{});
}

void TestTranslateRequest::thinkingDropsSamplingParameters()
{
    const auto request = parseChatRequest(
        R"({"messages":[{"role":"user","content":"x"}],"reasoning_effort":"low","temperature":0.3,"top_p":0.5})"_ba);
    QVERIFY(request.ok());
    QCOMPARE(request->droppedParameters, (QStringList{u"temperature"_s, u"top_p"_s}));
    const QJsonObject body = converseJson(request.value());
    QVERIFY(!body[u"inferenceConfig"].toObject().contains(u"temperature"_s));
    // No max_tokens from the client: budget + 4096 room for the answer.
    QCOMPARE(body[u"inferenceConfig"][u"maxTokens"].toInteger(), 1024 + 4096);
}

void TestTranslateRequest::reasoningBudgets_data()
{
    QTest::addColumn<QString>("effort");
    QTest::addColumn<int>("budget");
    QTest::newRow("low") << u"low"_s << 1024;
    QTest::newRow("medium") << u"medium"_s << 4096;
    QTest::newRow("high") << u"high"_s << 16384;
    QTest::newRow("none") << u"none"_s << 0;
}

void TestTranslateRequest::reasoningBudgets()
{
    QFETCH(QString, effort);
    QFETCH(int, budget);
    const QByteArray body = R"({"messages":[{"role":"user","content":"x"}],"max_tokens":20000,"reasoning_effort":")"_ba
                            + effort.toUtf8() + "\"}"_ba;
    const auto request = parseChatRequest(body);
    QVERIFY(request.ok());
    const QJsonObject converse = converseJson(request.value());
    const QJsonValue thinking = converse[u"additionalModelRequestFields"][u"thinking"];
    if (budget == 0) {
        QVERIFY(thinking.isUndefined());
        return;
    }
    QCOMPARE(thinking[u"type"].toString(), u"enabled"_s);
    QCOMPARE(thinking[u"budget_tokens"].toInt(), budget);
    QVERIFY(converse[u"inferenceConfig"][u"maxTokens"].toInt() > budget);
}

void TestTranslateRequest::toolNameMappingIsDeterministicAndValid()
{
    const QStringList names{u"a.b"_s, u"a_b"_s, u"ä"_s, QString(70, u'x'), QString(70, u'x') + u'y', u"ok-name_1"_s};
    QSet<QString> seen;
    for (const QString &name : names) {
        ToolNameMapper first;
        ToolNameMapper second;
        const QString mapped = first.toBedrock(name);
        QCOMPARE(second.toBedrock(name), mapped);
        QVERIFY2(QRegularExpression(u"^[a-zA-Z0-9_-]{1,64}$"_s).match(mapped).hasMatch(), qPrintable(mapped));
        QCOMPARE(first.toClient(mapped), name);
        QVERIFY2(!seen.contains(mapped), qPrintable(mapped));
        seen.insert(mapped);
    }
    ToolNameMapper valid;
    QCOMPARE(valid.toBedrock(u"ok-name_1"_s), u"ok-name_1"_s);
}

void TestTranslateRequest::streamOptions()
{
    auto request = parseChatRequest(
        R"({"messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":{"include_usage":true}})"_ba);
    QVERIFY(request.ok());
    QVERIFY(request->stream);
    QVERIFY(request->includeUsage);
    request = parseChatRequest(R"({"messages":[{"role":"user","content":"x"}],"stream":true})"_ba);
    QVERIFY(request.ok());
    QVERIFY(request->stream);
    QVERIFY(!request->includeUsage);
}

void TestTranslateRequest::maxCompletionTokensWinsInEitherOrder()
{
    for (const QByteArray &body :
         {R"({"max_tokens":100,"max_completion_tokens":7,"messages":[{"role":"user","content":"x"}]})"_ba,
          R"({"max_completion_tokens":7,"max_tokens":100,"messages":[{"role":"user","content":"x"}]})"_ba}) {
        const auto request = parseChatRequest(body);
        QVERIFY(request.ok());
        QCOMPARE(request->maxTokens.value_or(-1), 7);
    }
}

void TestTranslateRequest::keepsMessageDetails()
{
    const auto request =
        parseChatRequest(quarry::test::readData(u"translate/requests/tool-round-trip.openai.json"_s));
    QVERIFY(request.ok());
    QCOMPARE(request->messages.size(), 3);
    QCOMPARE(request->messages[1].role, ChatRole::Assistant);
    QCOMPARE(request->messages[1].toolCalls.size(), 1);
    QCOMPARE(request->messages[1].toolCalls[0].name, u"get_weather"_s);
    QCOMPARE(request->messages[2].role, ChatRole::Tool);
    QCOMPARE(request->messages[2].toolCallId, u"call_1"_s);
}

void TestTranslateRequest::badInputs_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    const QByteArray user = R"({"role":"user","content":"hi"})"_ba;
    const auto withField = [&user](const char *field) -> QByteArray {
        return "{\"messages\":["_ba + user + "],"_ba + QByteArray(field) + "}"_ba;
    };
    QTest::newRow("array body") << "[]"_ba << u"request body: must be a JSON object"_s;
    QTest::newRow("empty body") << ""_ba << u"invalid JSON at offset 0: "_s;
    QTest::newRow("messages null") << R"({"messages":null})"_ba << u"messages: required"_s;
    QTest::newRow("tool call by a user")
        << R"({"messages":[{"tool_calls":[{"id":"c","function":{"name":"f"}}],"role":"user","content":"a"}]})"_ba
        << u"messages[0].tool_calls: only assistant messages make tool calls"_s;
    QTest::newRow("tool call arguments null")
        << R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":null}}]}]})"_ba
        << u"messages[0].tool_calls[0].function.arguments: must be a string"_s;
    QTest::newRow("tool parameters array")
        << withField(R"("tools":[{"function":{"name":"a","parameters":[]}}])")
        << u"tools[0].function.parameters: must be an object"_s;
    QTest::newRow("thinking string") << withField(R"("thinking":"on")") << u"thinking: must be an object"_s;
    QTest::newRow("no messages") << R"({"model":"m"})"_ba << u"messages: required"_s;
    QTest::newRow("empty messages") << R"({"messages":[]})"_ba << u"messages: must not be empty"_s;
    QTest::newRow("messages not array") << R"({"messages":"hi"})"_ba << u"messages: must be an array"_s;
    QTest::newRow("unknown role")
        << R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"robot","content":"c"}]})"_ba
        << u"messages[2].role: unknown role 'robot'"_s;
    QTest::newRow("role missing") << R"({"messages":[{"content":"a"}]})"_ba
                                  << u"messages[0].role: must be a string"_s;
    QTest::newRow("message not object") << R"({"messages":["hi"]})"_ba << u"messages[0]: must be an object"_s;
    QTest::newRow("user content missing")
        << R"({"messages":[{"role":"user"}]})"_ba << u"messages[0].content: required"_s;
    QTest::newRow("content number")
        << R"({"messages":[{"role":"user","content":5}]})"_ba
        << u"messages[0].content: must be a string or an array of content parts"_s;
    QTest::newRow("image http url")
        << R"({"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]})"_ba
        << u"messages[0].content[1].image_url.url: Quarry does not fetch image URLs; send the image as a data: URL"_s;
    QTest::newRow("image bmp")
        << R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/bmp;base64,AAAA"}}]}]})"_ba
        << u"messages[0].content[0].image_url.url: unsupported image type 'image/bmp'"_s;
    QTest::newRow("audio part")
        << R"({"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]})"_ba
        << u"messages[0].content[0].type: unsupported content part type 'input_audio'"_s;
    QTest::newRow("tool_choice unknown tool")
        << withField(R"("tools":[{"type":"function","function":{"name":"a"}}],"tool_choice":{"type":"function","function":{"name":"b"}})")
        << u"tool_choice.function.name: no tool named 'b'"_s;
    QTest::newRow("tool without name") << withField(R"("tools":[{"type":"function","function":{}}])")
                                       << u"tools[0].function.name: must be a non-empty string"_s;
    QTest::newRow("reasoning_effort bad") << withField(R"("reasoning_effort":"max")")
                                          << u"reasoning_effort: must be one of"_s;
    QTest::newRow("response_format bad") << withField(R"("response_format":{"type":"xml"})")
                                         << u"response_format.type: must be one of"_s;
    QTest::newRow("text part without text")
        << R"({"messages":[{"role":"user","content":[{"type":"text"}]}]})"_ba
        << u"messages[0].content[0].text: must be a string"_s;
    QTest::newRow("tool without id")
        << R"({"messages":[{"role":"user","content":"a"},{"role":"tool","content":"r"}]})"_ba
        << u"messages[1].tool_call_id: must be a string"_s;
    QTest::newRow("model number") << withField(R"("model":5)") << u"model: must be a string"_s;
    QTest::newRow("temperature string")
        << withField(R"("temperature":"hot")") << u"temperature: must be a number"_s;
    QTest::newRow("top_p bool") << withField(R"("top_p":true)") << u"top_p: must be a number"_s;
    QTest::newRow("max_tokens fraction")
        << withField(R"("max_tokens":1.5)") << u"max_tokens: must be an integer"_s;
    QTest::newRow("max_completion_tokens zero")
        << withField(R"("max_completion_tokens":0)") << u"max_completion_tokens: must be at least 1"_s;
    QTest::newRow("stop number") << withField(R"("stop":3)")
                                 << u"stop: must be a string or an array of strings"_s;
    QTest::newRow("stop list number") << withField(R"("stop":["a",1])") << u"stop[1]: must be a string"_s;
    QTest::newRow("n 2") << withField(R"("n":2)") << u"n: only 1 choice per request is supported"_s;
    QTest::newRow("stream string") << withField(R"("stream":"yes")") << u"stream: must be a boolean"_s;
    QTest::newRow("include_usage string") << withField(R"("stream_options":{"include_usage":"yes"})")
                                          << u"stream_options.include_usage: must be a boolean"_s;
}

void TestTranslateRequest::badInputs()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    const auto request = parseChatRequest(body);
    QVERIFY(!request.ok());
    QVERIFY2(request.error().startsWith(error), qPrintable(request.error()));
}

void TestTranslateRequest::invalidJsonReportsOffset()
{
    // The object is cut off after 17 bytes; the reported offset must point into the body.
    const QByteArray body = R"({"messages": [1, )"_ba;
    const auto request = parseChatRequest(body);
    QVERIFY(!request.ok());
    QVERIFY2(request.error().startsWith(u"invalid JSON at offset "_s), qPrintable(request.error()));
    const qsizetype offset = request.error().section(u' ', 4, 4).remove(u':').toLongLong();
    QVERIFY(offset > 0 && offset <= body.size());
}

// The body is read in one pass, so what depends on another field (a message's role, the tool a
// tool_choice names) must not depend on which of them came first.
void TestTranslateRequest::fieldsMayComeInAnyOrder()
{
    const QByteArray usual = R"({"model":"m","messages":[{"role":"system","content":"Be brief."},
        {"role":"user","content":"Weather?"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
            "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
        {"role":"tool","tool_call_id":"c1","content":"sunny"}],
        "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
        "tool_choice":{"type":"function","function":{"name":"get_weather"}},
        "max_tokens":100,"max_completion_tokens":50,"temperature":1,"reasoning_effort":"low"})"_ba;
    const QByteArray reversed = R"({"reasoning_effort":"low","temperature":1,"max_completion_tokens":50,
        "max_tokens":100,"tool_choice":{"function":{"name":"get_weather"},"type":"function"},
        "tools":[{"function":{"parameters":{"type":"object"},"name":"get_weather"},"type":"function"}],
        "messages":[{"content":"Be brief.","role":"system"},{"content":"Weather?","role":"user"},
        {"tool_calls":[{"function":{"arguments":"{\"city\":\"Paris\"}","name":"get_weather"},
            "type":"function","id":"c1"}],"content":null,"role":"assistant"},
        {"content":"sunny","tool_call_id":"c1","role":"tool"}],"model":"m"})"_ba;
    const auto first = parseChatRequest(usual);
    const auto second = parseChatRequest(reversed);
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error()));
    QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error()));
    QCOMPARE(second->maxTokens.value_or(-1), 50);
    QCOMPARE(second->messages[2].toolCalls.size(), 1);
    const QJsonObject converse = converseJson(second.value());
    QCOMPARE(converse, converseJson(first.value()));
    QCOMPARE(converse[u"toolConfig"][u"toolChoice"][u"tool"][u"name"].toString(), u"get_weather"_s);
    QCOMPARE(converse[u"additionalModelRequestFields"][u"thinking"][u"budget_tokens"].toInt(), 1024);
}

// A body cut off or garbled is reported as invalid JSON even when a field before the fault is
// wrong too: the client's first problem is the JSON.
void TestTranslateRequest::invalidJsonWinsOverFieldErrors()
{
    for (const QByteArray &body :
         {R"({"model":5,"messages":[{"role":"robot")"_ba, R"({"stream":"yes","messages":[]} trailing)"_ba}) {
        const auto request = parseChatRequest(body);
        QVERIFY(!request.ok());
        QVERIFY2(request.error().startsWith(u"invalid JSON at offset "_s), qPrintable(request.error()));
    }
}

// Qt's parser, which read chat bodies before, skips a UTF-8 byte order mark; so does Quarry's.
void TestTranslateRequest::byteOrderMarkIsSkipped()
{
    const auto request = parseChatRequest("\xEF\xBB\xBF{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"_ba);
    QVERIFY2(request.ok(), qPrintable(request.ok() ? QString() : request.error()));
    QCOMPARE(request->messages.size(), 1);
    // Only at the start: anywhere else it is not JSON.
    QVERIFY(!parseChatRequest("{\"messages\":[]}\xEF\xBB\xBF"_ba).ok());
}

void TestTranslateRequest::nullMeansAbsent()
{
    const auto request = parseChatRequest(
        R"({"model":null,"messages":[{"role":"user","content":"x","name":null}],"stream":null,
            "stream_options":null,"temperature":null,"top_p":null,"stop":null,"max_tokens":null,"n":null,
            "tools":[{"function":{"name":"f","parameters":null}}],"tool_choice":null,"thinking":null,
            "reasoning_effort":null,"response_format":null,"seed":null})"_ba);
    QVERIFY2(request.ok(), qPrintable(request.ok() ? QString() : request.error()));
    QVERIFY(request->model.isEmpty());
    QVERIFY(!request->temperature && !request->maxTokens && request->stop.isEmpty());
    QVERIFY(request->thinking.isEmpty());
    QCOMPARE(request->droppedParameters, QStringList{});
    // A function without parameters gets the empty object schema Bedrock requires.
    QCOMPARE(QJsonDocument::fromJson(request->tools.at(0).parameters)[u"type"].toString(), u"object"_s);
}

QTEST_GUILESS_MAIN(TestTranslateRequest)
#include "tst_bedrock_translate_request.moc"
