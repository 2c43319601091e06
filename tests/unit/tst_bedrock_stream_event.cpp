// A ConverseStream event's payload as the stream translators read it: each event type's members,
// members of the wrong kind or unknown left out, and a payload that is not one JSON object refused.
// Shapes from the Bedrock Runtime API reference (ConverseStream: ContentBlockStartEvent,
// ContentBlockDeltaEvent, MessageStopEvent, ConverseStreamMetadataEvent).
#include "TestSupport.h"

#include "providers/bedrock/converse/ConverseStreamEvent.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestStreamEvent : public QObject
{
    Q_OBJECT

private slots:
    void textDelta();
    void toolUseStartAndInput();
    void reasoningDeltas();
    void messageStopAndMetadata();
    void wrongKindsAndUnknownMembersAreLeftOut();
    void notOneObjectIsRefused_data();
    void notOneObjectIsRefused();
};

void TestStreamEvent::textDelta()
{
    const auto event = readConverseStreamEvent(
        R"({"contentBlockIndex":2,"delta":{"text":"caf\u00e9 \"ok\"\n"},"p":"abcdefghij"})"_ba);
    QVERIFY2(event.ok(), qPrintable(event.ok() ? QString() : event.error()));
    QCOMPARE(event->blockIndex, 2);
    QCOMPARE(event->text, std::optional(u"café \"ok\"\n"_s));
    QVERIFY(!event->toolInput && !event->reasoning && !event->toolUseStart);
    QVERIFY(!event->usage.present);
}

void TestStreamEvent::toolUseStartAndInput()
{
    const auto start = readConverseStreamEvent(
        R"({"start":{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather"}},"contentBlockIndex":1})"_ba);
    QVERIFY2(start.ok(), qPrintable(start.ok() ? QString() : start.error()));
    QCOMPARE(start->blockIndex, 1);
    QVERIFY(start->toolUseStart);
    QCOMPARE(start->toolUseStart->id, u"tooluse_1"_s);
    QCOMPARE(start->toolUseStart->name, u"get_weather"_s);

    const auto input = readConverseStreamEvent(R"({"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\": "}}})"_ba);
    QVERIFY2(input.ok(), qPrintable(input.ok() ? QString() : input.error()));
    QCOMPARE(input->toolInput, std::optional(u"{\"city\": "_s));
    QVERIFY(!input->text);

    // A block start without a tool (text blocks may send one): no call.
    const auto empty = readConverseStreamEvent(R"({"start":{},"contentBlockIndex":0})"_ba);
    QVERIFY(empty.ok());
    QVERIFY(!empty->toolUseStart);
}

void TestStreamEvent::reasoningDeltas()
{
    const auto text = readConverseStreamEvent(R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Hmm."}}})"_ba);
    QVERIFY(text.ok() && text->reasoning);
    QCOMPARE(text->reasoning->text, std::optional(u"Hmm."_s));
    QVERIFY(!text->reasoning->signature && !text->reasoning->redactedContent && !text->text);

    const auto signature =
        readConverseStreamEvent(R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"EqQB"}}})"_ba);
    QVERIFY(signature.ok() && signature->reasoning);
    QCOMPARE(signature->reasoning->signature, std::optional(u"EqQB"_s));

    const auto redacted =
        readConverseStreamEvent(R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"redactedContent":"AAEC"}}})"_ba);
    QVERIFY(redacted.ok() && redacted->reasoning);
    QCOMPARE(redacted->reasoning->redactedContent, std::optional(u"AAEC"_s));
}

void TestStreamEvent::messageStopAndMetadata()
{
    const auto stop = readConverseStreamEvent(
        R"({"stopReason":"stop_sequence","additionalModelResponseFields":{"stop_sequence":"END"}})"_ba);
    QVERIFY(stop.ok());
    QCOMPARE(stop->stopReason, u"stop_sequence"_s);
    QCOMPARE(stop->stopSequence, std::optional(u"END"_s));

    const auto metadata = readConverseStreamEvent(
        R"({"usage":{"inputTokens":12,"outputTokens":34,"totalTokens":46,"cacheReadInputTokens":5},)"
        R"("metrics":{"latencyMs":412}})"_ba);
    QVERIFY(metadata.ok());
    QVERIFY(metadata->usage.present);
    QCOMPARE(metadata->usage.input, 12);
    QCOMPARE(metadata->usage.output, 34);
    QCOMPARE(metadata->usage.cacheRead, 5);
    QCOMPARE(metadata->usage.cacheWrite, 0);
}

void TestStreamEvent::wrongKindsAndUnknownMembersAreLeftOut()
{
    const auto event = readConverseStreamEvent(
        R"({"contentBlockIndex":"3","delta":{"text":7,"toolUse":{"input":{"a":1}},"reasoningContent":"x","citation":{}},)"
        R"("stopReason":null,"additionalModelResponseFields":{"stop_sequence":null},"usage":[1],"newField":{"a":[1,2]}})"_ba);
    QVERIFY2(event.ok(), qPrintable(event.ok() ? QString() : event.error()));
    QCOMPARE(event->blockIndex, 0);
    QVERIFY(!event->text);
    QVERIFY(!event->toolInput);
    QVERIFY(!event->reasoning);
    QCOMPARE(event->stopReason, QString());
    QVERIFY(!event->stopSequence);
    QVERIFY(!event->usage.present);
}

void TestStreamEvent::notOneObjectIsRefused_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << u"the event is not a JSON object"_s;
    QTest::newRow("array") << R"([{"delta":{"text":"a"}}])"_ba << u"the event is not a JSON object"_s;
    QTest::newRow("string") << R"("text")"_ba << u"the event is not a JSON object"_s;
    QTest::newRow("cut") << R"({"delta":{"text":"a)"_ba << u"invalid JSON at offset 19: unterminated string"_s;
    QTest::newRow("two values") << R"({} {})"_ba << u"invalid JSON at offset 3: text after the value"_s;
}

void TestStreamEvent::notOneObjectIsRefused()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    const auto event = readConverseStreamEvent(payload);
    QVERIFY(!event.ok());
    QCOMPARE(event.error(), error);
}

QTEST_GUILESS_MAIN(TestStreamEvent)
#include "tst_bedrock_stream_event.moc"
