// ConverseStream events -> OpenAI chunk SSE, compared chunk by chunk with fixture sequences.
#include "providers/bedrock/openai/ChatStreamTranslator.h"
#include "providers/bedrock/openai/ConverseRequestBuilder.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestTranslateStream : public QObject
{
    Q_OBJECT

private slots:
    void fixtureSequences_data();
    void fixtureSequences();
    void accessorsAfterStream();
    void finishAnswersOnce();
    void malformedEventFailsTheStream();
    void renamedToolNameIsRestored();
};

namespace {

QJsonObject loadFixture(const QString &name)
{
    return QJsonDocument::fromJson(quarry::test::readData(u"translate/streams/"_s % name % u".json"_s))
        .object();
}

QByteArray feed(ChatStreamTranslator &translator, const QJsonArray &messages)
{
    QByteArray sse;
    for (const QJsonValue &message : messages) {
        const QByteArray payload =
            QJsonDocument(message["payload"_L1].toObject()).toJson(QJsonDocument::Compact);
        if (message["exception"_L1].isString())
            sse += translator.onException(message["exception"_L1].toString(), payload);
        else
            sse += translator.onEvent(message["event"_L1].toString(), payload);
    }
    return sse + translator.finish();
}

// Splits SSE into its data documents; "[DONE]" stays a string. Fails on anything but data lines.
QJsonArray dataEvents(const QByteArray &sse)
{
    QJsonArray events;
    QByteArray rest = sse;
    while (!rest.isEmpty()) {
        const qsizetype end = rest.indexOf("\n\n");
        if (end < 0) {
            QTest::qFail("SSE bytes do not end with a blank line", __FILE__, __LINE__);
            return {};
        }
        const QByteArray event = rest.left(end);
        rest = rest.mid(end + 2);
        if (!event.startsWith("data: ") || event.contains('\n')) {
            QTest::qFail("SSE event is not one data line", __FILE__, __LINE__);
            return {};
        }
        const QByteArray data = event.mid(6);
        if (data == "[DONE]")
            events.append(u"[DONE]"_s);
        else
            events.append(QJsonDocument::fromJson(data).object());
    }
    return events;
}

} // namespace

void TestTranslateStream::fixtureSequences_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name :
         {"text-with-usage", "text-no-usage", "exception-midstream", "cut-before-stop", "tool-use",
          "reasoning-parallel-tools", "json-response-tool"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestTranslateStream::fixtureSequences()
{
    QFETCH(QString, name);
    const QJsonObject fixture = loadFixture(name);
    QVERIFY(fixture.contains("expected"_L1));
    ResponseMapping mapping;
    mapping.jsonToolName = u"json_response"_s; // as for a request with response_format JSON
    ChatStreamTranslator translator(u"s1"_s, u"test-model"_s, 1700000001, fixture["includeUsage"_L1].toBool(),
                                    mapping);
    const QJsonArray actual = dataEvents(feed(translator, fixture["messages"_L1].toArray()));
    const QJsonArray expected = fixture["expected"_L1].toArray();
    for (qsizetype i = 0; i < std::min(actual.size(), expected.size()); ++i) {
        if (actual[i] != expected[i]) {
            qWarning("event %lld actual:   %s", static_cast<long long>(i),
                     QJsonDocument(actual[i].toObject()).toJson(QJsonDocument::Compact).constData());
        }
        QCOMPARE(actual[i], expected[i]);
    }
    QCOMPARE(actual.size(), expected.size());
}

void TestTranslateStream::accessorsAfterStream()
{
    const QJsonObject fixture = loadFixture(u"text-with-usage"_s);
    ChatStreamTranslator translator(u"s1"_s, u"test-model"_s, 1, true);
    feed(translator, fixture["messages"_L1].toArray());
    QCOMPARE(translator.outputText(), u"Hello, wörld"_s);
    QCOMPARE(translator.stopReason(), u"stop_sequence"_s);
    QCOMPARE(translator.finishReason(), u"stop"_s);
    QVERIFY(translator.usage().present);
    QCOMPARE(translator.usage().input, 8);
    QCOMPARE(translator.usage().output, 3);
    QCOMPARE(translator.usage().cacheRead, 100);
    QVERIFY(!translator.failed());
}

void TestTranslateStream::finishAnswersOnce()
{
    ChatStreamTranslator translator(u"s1"_s, u"m"_s, 1, false);
    translator.onEvent(u"messageStart"_s, R"({"role":"assistant"})"_ba);
    translator.onEvent(u"messageStop"_s, R"({"stopReason":"end_turn"})"_ba);
    QCOMPARE(translator.finish(), "data: [DONE]\n\n"_ba);
    QVERIFY(translator.finish().isEmpty());
    QVERIFY(translator.onException(u"throttlingException"_s, "{}"_ba).isEmpty());
}

void TestTranslateStream::malformedEventFailsTheStream()
{
    ChatStreamTranslator translator(u"s1"_s, u"m"_s, 1, false);
    const QJsonArray events = dataEvents(translator.onEvent(u"contentBlockDelta"_s, "{not json"_ba));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0]["error"_L1]["type"_L1].toString(), u"api_error"_s);
    QVERIFY(translator.failed());
    QVERIFY(translator.onEvent(u"messageStop"_s, R"({"stopReason":"end_turn"})"_ba).isEmpty());
    QVERIFY(translator.finish().isEmpty());
}

void TestTranslateStream::renamedToolNameIsRestored()
{
    const auto request = parseChatRequest(
        quarry::test::readData(u"translate/requests/tools-named-choice.openai.json"_s));
    QVERIFY(request.ok());
    const ConverseRequest converse = buildConverseRequest(request.value());
    const QString sentName =
        QJsonDocument::fromJson(converse.body.toJson())[u"toolConfig"][u"toolChoice"][u"tool"][u"name"]
            .toString();
    QVERIFY(sentName != request->tools[1].name);
    ChatStreamTranslator translator(u"s1"_s, u"m"_s, 1, false, converse.mapping);
    translator.onEvent(u"messageStart"_s, R"({"role":"assistant"})"_ba);
    const QByteArray start = R"({"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t1","name":")"_ba
                             + sentName.toUtf8() + R"("}}})"_ba;
    const QJsonArray events = dataEvents(translator.onEvent(u"contentBlockStart"_s, start));
    QCOMPARE(events.size(), 1);
    const QJsonValue call = events[0]["choices"_L1][0]["delta"_L1]["tool_calls"_L1][0];
    QCOMPARE(call["function"_L1]["name"_L1].toString(), request->tools[1].name);
    QCOMPARE(call["index"_L1].toInt(-1), 0);
}

QTEST_GUILESS_MAIN(TestTranslateStream)
#include "tst_bedrock_translate_stream.moc"
