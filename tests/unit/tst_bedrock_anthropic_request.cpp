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

QTEST_GUILESS_MAIN(TestAnthropicRequest)
#include "tst_bedrock_anthropic_request.moc"
