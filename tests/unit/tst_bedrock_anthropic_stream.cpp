// ConverseStream events -> Anthropic SSE, compared event by event with fixture sequences.
#include "providers/bedrock/anthropic/AnthropicStreamTranslator.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestAnthropicStream : public QObject
{
    Q_OBJECT

private slots:
    void fixtureSequences_data();
    void fixtureSequences();
    void accessorsAfterStream();
    void finishAnswersOnce();
    void malformedEventFailsTheStream();
    void eventsBeforeMessageStartStillOpenTheMessage();
};

namespace {

QJsonObject loadFixture(const QString &name)
{
    return QJsonDocument::fromJson(quarry::test::readData(u"anthropic/streams/"_s % name % u".json"_s))
        .object();
}

ToolNameMapper toolNames(const QJsonObject &fixture)
{
    QStringList names;
    for (const QJsonValue &name : fixture["toolNames"_L1].toArray())
        names.append(name.toString());
    return ToolNameMapper(names);
}

QByteArray feed(AnthropicStreamTranslator &translator, const QJsonArray &messages)
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

// Splits SSE into {event, data} objects; fails on anything but "event:" + "data:" pairs.
QJsonArray sseEvents(const QByteArray &sse)
{
    QJsonArray events;
    QByteArray rest = sse;
    while (!rest.isEmpty()) {
        const qsizetype end = rest.indexOf("\n\n");
        if (end < 0) {
            QTest::qFail("SSE bytes do not end with a blank line", __FILE__, __LINE__);
            return {};
        }
        const QList<QByteArray> lines = rest.left(end).split('\n');
        rest = rest.mid(end + 2);
        if (lines.size() != 2 || !lines[0].startsWith("event: ") || !lines[1].startsWith("data: ")) {
            QTest::qFail("SSE event is not one event line and one data line", __FILE__, __LINE__);
            return {};
        }
        QJsonParseError error;
        const QJsonDocument data = QJsonDocument::fromJson(lines[1].mid(6), &error);
        if (error.error != QJsonParseError::NoError) {
            QTest::qFail("SSE data is not JSON", __FILE__, __LINE__);
            return {};
        }
        events.append(
            QJsonObject{{u"event"_s, QString::fromUtf8(lines[0].mid(7))}, {u"data"_s, data.object()}});
    }
    return events;
}

} // namespace

void TestAnthropicStream::fixtureSequences_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"text-with-usage", "thinking-then-text", "tool-use", "exception-midstream",
                             "service-unavailable", "cut-before-stop", "no-metadata"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestAnthropicStream::fixtureSequences()
{
    QFETCH(QString, name);
    const QJsonObject fixture = loadFixture(name);
    QVERIFY(fixture.contains("expected"_L1));
    AnthropicStreamTranslator translator(u"s1"_s, u"test-model"_s, toolNames(fixture));
    const QJsonArray actual = sseEvents(feed(translator, fixture["messages"_L1].toArray()));
    const QJsonArray expected = fixture["expected"_L1].toArray();
    for (qsizetype i = 0; i < std::min(actual.size(), expected.size()); ++i) {
        if (actual[i] != expected[i]) {
            qWarning("event %lld actual: %s", static_cast<long long>(i),
                     QJsonDocument(actual[i].toObject()).toJson(QJsonDocument::Compact).constData());
        }
        QCOMPARE(actual[i], expected[i]);
    }
    QCOMPARE(actual.size(), expected.size());
}

void TestAnthropicStream::accessorsAfterStream()
{
    AnthropicStreamTranslator translator(u"s1"_s, u"m"_s);
    feed(translator, loadFixture(u"text-with-usage"_s)["messages"_L1].toArray());
    QCOMPARE(translator.outputText(), u"Hello, wörld"_s);
    QCOMPARE(translator.stopReason(), u"end_turn"_s);
    QCOMPARE(translator.anthropicStopReason(), u"end_turn"_s);
    QVERIFY(translator.usage().present);
    QCOMPARE(translator.usage().input, 8);
    QCOMPARE(translator.usage().output, 3);
    QCOMPARE(translator.usage().cacheRead, 100);
    QVERIFY(!translator.failed());

    AnthropicStreamTranslator failing(u"s2"_s, u"m"_s);
    feed(failing, loadFixture(u"exception-midstream"_s)["messages"_L1].toArray());
    QVERIFY(failing.failed());
    QCOMPARE(failing.error()->type, u"rate_limit_error"_s);
    QCOMPARE(failing.error()->status, 429);
}

void TestAnthropicStream::finishAnswersOnce()
{
    AnthropicStreamTranslator translator(u"s1"_s, u"m"_s);
    translator.onEvent(u"messageStart"_s, R"({"role":"assistant"})"_ba);
    translator.onEvent(u"messageStop"_s, R"({"stopReason":"end_turn"})"_ba);
    const QByteArray first = translator.finish();
    QVERIFY(first.contains("event: message_stop"));
    QVERIFY(translator.finish().isEmpty());
    QVERIFY(translator.onEvent(u"metadata"_s, R"({"usage":{"inputTokens":1}})"_ba).isEmpty());
}

void TestAnthropicStream::malformedEventFailsTheStream()
{
    AnthropicStreamTranslator translator(u"s1"_s, u"m"_s);
    const QByteArray out = translator.onEvent(u"contentBlockDelta"_s, "{not json"_ba);
    QVERIFY(out.startsWith("event: error\n"));
    QVERIFY(out.contains("\"api_error\""));
    QVERIFY(translator.failed());
    QVERIFY(translator.finish().isEmpty());
}

void TestAnthropicStream::eventsBeforeMessageStartStillOpenTheMessage()
{
    AnthropicStreamTranslator translator(u"s1"_s, u"m"_s);
    const QJsonArray events = sseEvents(
        translator.onEvent(u"contentBlockDelta"_s, R"({"contentBlockIndex":3,"delta":{"text":"a"}})"_ba));
    QCOMPARE(events.size(), 3);
    QCOMPARE(events[0]["event"_L1].toString(), u"message_start"_s);
    QCOMPARE(events[1]["data"_L1]["index"_L1].toInt(), 0); // renumbered densely from 0
    QCOMPARE(events[2]["data"_L1]["index"_L1].toInt(), 0);
}

QTEST_GUILESS_MAIN(TestAnthropicStream)
#include "tst_bedrock_anthropic_stream.moc"
