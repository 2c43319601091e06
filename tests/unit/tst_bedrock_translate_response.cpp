// Converse responses -> OpenAI chat.completion, against hand-written fixture pairs.
#include "providers/bedrock/openai/ChatCompletionBuilder.h"
#include "providers/bedrock/openai/ConverseRequestBuilder.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestTranslateResponse : public QObject
{
    Q_OBJECT

private slots:
    void fixturePairs_data();
    void fixturePairs();
    void finishReasons_data();
    void finishReasons();
    void usageWithCachedTokens();
    void noUsageMeansNoUsageField();
    void idPrefixIsNotDoubled();
    void rejectsNonConverseBodies_data();
    void rejectsNonConverseBodies();
    void brokenJsonSaysWhere();
    void toolInputIsPassedOnAsCompactJson();
    void renamedToolNamesAreRestored();
    void jsonToolIsOnlyAnAnswerWhenRequested();
    void answerTextKeepsEveryCharacter();
};

namespace {
const CompletionMeta kMeta{u"test-1"_s, u"test-model"_s, 1700000000};

QByteArray converseWithStopReason(const QString &stopReason)
{
    return R"({"output":{"message":{"role":"assistant","content":[{"text":"x"}]}},"stopReason":")"_ba +
           stopReason.toUtf8() + R"("})"_ba;
}
} // namespace

void TestTranslateResponse::fixturePairs_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name :
         {"text-end-turn", "cached-usage", "tool-use", "reasoning-parallel-tools", "json-response-tool"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestTranslateResponse::fixturePairs()
{
    QFETCH(QString, name);
    ResponseMapping mapping;
    mapping.jsonToolName = u"json_response"_s; // as for a request with response_format JSON
    const auto completion = ChatCompletionBuilder(kMeta, mapping).build(
        quarry::test::readData(u"translate/responses/"_s % name % u".converse.json"_s));
    QVERIFY2(completion.ok(), qPrintable(completion.ok() ? QString() : completion.error()));
    const QJsonDocument actual = QJsonDocument::fromJson(completion->json);
    const QJsonDocument wanted =
        QJsonDocument::fromJson(quarry::test::readData(u"translate/responses/"_s % name % u".openai.json"_s));
    QVERIFY(wanted.isObject());
    if (actual != wanted)
        qWarning("actual: %s", completion->json.constData());
    QCOMPARE(actual, wanted);
}

void TestTranslateResponse::finishReasons_data()
{
    QTest::addColumn<QString>("stopReason");
    QTest::addColumn<QString>("finishReason");
    QTest::newRow("end_turn") << u"end_turn"_s << u"stop"_s;
    QTest::newRow("stop_sequence") << u"stop_sequence"_s << u"stop"_s;
    QTest::newRow("max_tokens") << u"max_tokens"_s << u"length"_s;
    QTest::newRow("tool_use") << u"tool_use"_s << u"tool_calls"_s;
    QTest::newRow("guardrail_intervened") << u"guardrail_intervened"_s << u"content_filter"_s;
    QTest::newRow("content_filtered") << u"content_filtered"_s << u"content_filter"_s;
    QTest::newRow("unknown") << u"model_context_window_exceeded_someday"_s << u"stop"_s;
}

void TestTranslateResponse::finishReasons()
{
    QFETCH(QString, stopReason);
    QFETCH(QString, finishReason);
    QCOMPARE(finishReasonFor(stopReason), finishReason);
    const auto completion = ChatCompletionBuilder(kMeta).build(converseWithStopReason(stopReason));
    QVERIFY(completion.ok());
    const QJsonObject body = QJsonDocument::fromJson(completion->json).object();
    QCOMPARE(body["choices"_L1][0]["finish_reason"_L1].toString(), finishReason);
    QCOMPARE(completion->stopReason, stopReason);
}

void TestTranslateResponse::usageWithCachedTokens()
{
    const auto completion = ChatCompletionBuilder(kMeta).build(
        quarry::test::readData(u"translate/responses/cached-usage.converse.json"_s));
    QVERIFY(completion.ok());
    QVERIFY(completion->usage.present);
    QCOMPARE(completion->usage.input, 10);
    QCOMPARE(completion->usage.output, 4);
    QCOMPARE(completion->usage.total(), 2014);
    QCOMPARE(completion->usage.cacheRead, 2000);
    QCOMPARE(completion->text, u"Cut off"_s);
    QCOMPARE(completion->finishReason, u"length"_s);
}

void TestTranslateResponse::noUsageMeansNoUsageField()
{
    const auto completion = ChatCompletionBuilder(kMeta).build(converseWithStopReason(u"end_turn"_s));
    QVERIFY(completion.ok());
    QVERIFY(!completion->usage.present);
    QVERIFY(!QJsonDocument::fromJson(completion->json).object().contains("usage"_L1));
}

void TestTranslateResponse::idPrefixIsNotDoubled()
{
    const auto completion =
        ChatCompletionBuilder({u"chatcmpl-abc"_s, u"m"_s, 1}).build(converseWithStopReason(u"end_turn"_s));
    QVERIFY(completion.ok());
    QCOMPARE(QJsonDocument::fromJson(completion->json)["id"_L1].toString(), u"chatcmpl-abc"_s);
}

void TestTranslateResponse::rejectsNonConverseBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not json") << "<html>oops</html>"_ba;
    QTest::newRow("array") << "[]"_ba;
    QTest::newRow("empty object") << "{}"_ba;
    QTest::newRow("no content")
        << R"({"output":{"message":{"role":"assistant"}},"stopReason":"end_turn"})"_ba;
    QTest::newRow("no stopReason") << R"({"output":{"message":{"role":"assistant","content":[]}}})"_ba;
}

void TestTranslateResponse::rejectsNonConverseBodies()
{
    QFETCH(QByteArray, body);
    const auto completion = ChatCompletionBuilder(kMeta).build(body);
    QVERIFY(!completion.ok());
    QVERIFY(completion.error().startsWith(u"Converse response: "_s));
}

void TestTranslateResponse::brokenJsonSaysWhere()
{
    // An answer cut off mid-string: the 502's message says where Bedrock's JSON broke.
    const auto completion = ChatCompletionBuilder(kMeta).build(
        R"({"output":{"message":{"role":"assistant","content":[{"text":"Hel)"_ba);
    QVERIFY(!completion.ok());
    QCOMPARE(completion.error(), u"Converse response: invalid JSON at offset 64: unterminated string"_s);
}

void TestTranslateResponse::toolInputIsPassedOnAsCompactJson()
{
    // function.arguments is the input's JSON text, whitespace dropped, strings and numbers as sent.
    const QByteArray response = R"({"output":{"message":{"role":"assistant","content":[{"toolUse":)"
                                R"({"toolUseId":"t1","name":"save","input": { "path" : "a \"b\".txt", "size" : 2.50 }}}]}},)"
                                R"("stopReason":"tool_use"})"_ba;
    const auto completion = ChatCompletionBuilder(kMeta).build(response);
    QVERIFY(completion.ok());
    const QJsonObject body = QJsonDocument::fromJson(completion->json).object();
    const QJsonValue function = body[u"choices"][0][u"message"][u"tool_calls"][0][u"function"];
    QCOMPARE(function[u"arguments"].toString(), uR"({"path":"a \"b\".txt","size":2.50})"_s);
    QCOMPARE(function[u"name"].toString(), u"save"_s);
}

void TestTranslateResponse::renamedToolNamesAreRestored()
{
    // The client's tool name breaks Bedrock's pattern; the request carried a mapped name and the
    // answer must name the client's tool again.
    const auto request = parseChatRequest(
        quarry::test::readData(u"translate/requests/tools-named-choice.openai.json"_s));
    QVERIFY(request.ok());
    const ConverseRequest converse = buildConverseRequest(request.value());
    const QString sentName =
        QJsonDocument::fromJson(converse.body.toJson())[u"toolConfig"][u"toolChoice"][u"tool"][u"name"]
            .toString();
    const QString clientName = request->tools[1].name;
    QVERIFY(sentName != clientName);
    const QByteArray response = R"({"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":")"_ba
                                + sentName.toUtf8() + R"(","input":{"path":"a.txt"}}}]}},"stopReason":"tool_use"})"_ba;
    const auto completion = ChatCompletionBuilder(kMeta, converse.mapping).build(response);
    QVERIFY(completion.ok());
    const QJsonObject body = QJsonDocument::fromJson(completion->json).object();
    QCOMPARE(body[u"choices"][0][u"message"][u"tool_calls"][0][u"function"][u"name"].toString(), clientName);
    QCOMPARE(body[u"choices"][0][u"finish_reason"].toString(), u"tool_calls"_s);
}

void TestTranslateResponse::jsonToolIsOnlyAnAnswerWhenRequested()
{
    // Without response_format, a tool the client itself named json_response stays a tool call.
    const auto completion = ChatCompletionBuilder(kMeta).build(
        quarry::test::readData(u"translate/responses/json-response-tool.converse.json"_s));
    QVERIFY(completion.ok());
    const QJsonObject body = QJsonDocument::fromJson(completion->json).object();
    QCOMPARE(body[u"choices"][0][u"finish_reason"].toString(), u"tool_calls"_s);
    QVERIFY(body[u"choices"][0][u"message"][u"content"].isNull());
}

// The answer's JSON is written by hand (util/JsonText.h): whatever the model says must come back
// the same from a JSON parser, escapes and all.
void TestTranslateResponse::answerTextKeepsEveryCharacter()
{
    QString text = u"quote \" backslash \\ slash / tab \t line\nreturn\r bell \x07 nul "_s;
    text += QChar(0);
    text += u" unit separator \x1f del \x7f é 中文 😀 \u2028 \u2029 </script>"_s;
    const QJsonObject converse{
        {u"output"_s, QJsonObject{{u"message"_s, QJsonObject{{u"role"_s, u"assistant"_s},
                                                             {u"content"_s, QJsonArray{QJsonObject{{u"text"_s, text}}}}}}}},
        {u"stopReason"_s, u"end_turn"_s}};
    const CompletionMeta meta{u"id \"1\""_s, u"model\\with\nbreaks"_s, 1700000000};
    const auto completion = ChatCompletionBuilder(meta).build(QJsonDocument(converse).toJson());
    QVERIFY(completion.ok());
    QJsonParseError error{};
    const QJsonObject parsed = QJsonDocument::fromJson(completion->json, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + u": "_s + QString::fromUtf8(completion->json)));
    const QJsonObject message = parsed[u"choices"_s][0][u"message"_s].toObject();
    QCOMPARE(message[u"content"_s].toString(), text);
    QCOMPARE(message[u"role"_s].toString(), u"assistant"_s);
    QCOMPARE(parsed[u"id"_s].toString(), u"chatcmpl-id \"1\""_s);
    QCOMPARE(parsed[u"model"_s].toString(), meta.model);
    QCOMPARE(parsed[u"created"_s].toInteger(), 1700000000);
    QCOMPARE(parsed[u"object"_s].toString(), u"chat.completion"_s);
    QCOMPARE(parsed[u"choices"_s][0][u"finish_reason"_s].toString(), u"stop"_s);
}

QTEST_GUILESS_MAIN(TestTranslateResponse)
#include "tst_bedrock_translate_response.moc"
