// Token usage read from native Bedrock answers: Converse, InvokeModel bodies of several model
// families, and the event streams of ConverseStream and InvokeModelWithResponseStream.
// The fixtures are written by hand after the response shapes in the Bedrock user guide's
// "Inference request parameters and response fields for foundation models" pages.
#include "providers/bedrock/eventstream/EventStreamMessage.h"
#include "providers/bedrock/converse/NativeUsage.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

namespace {

EventStreamMessage streamEvent(const QString &eventType, const QByteArray &payload)
{
    EventStreamMessage message;
    message.headers = {{u":event-type"_s, eventType, EventStreamHeaderType::String},
                       {u":content-type"_s, u"application/json"_s, EventStreamHeaderType::String},
                       {u":message-type"_s, u"event"_s, EventStreamHeaderType::String}};
    message.payload = payload;
    return message;
}

// An invoke-with-response-stream chunk: {"bytes": base64 of the model's event, "p": padding}.
EventStreamMessage chunk(const QByteArray &modelEvent)
{
    return streamEvent(u"chunk"_s, R"({"bytes":")"_ba + modelEvent.toBase64() + R"(","p":"abcdefgh"})"_ba);
}

} // namespace

class TestNativeUsage : public QObject
{
    Q_OBJECT

private slots:
    void converseBody()
    {
        const auto usage = NativeUsage::fromConverse(
            R"({"output":{"message":{"role":"assistant","content":[{"text":"Hi"}]}},"stopReason":"max_tokens",
                "usage":{"inputTokens":31,"outputTokens":7,"totalTokens":38,"cacheReadInputTokens":100,
                "cacheWriteInputTokens":5},"metrics":{"latencyMs":120}})"_ba);
        QVERIFY(usage.usage().present);
        QCOMPARE(usage.usage().input, 31);
        QCOMPARE(usage.usage().output, 7);
        QCOMPARE(usage.usage().cacheRead, 100);
        QCOMPARE(usage.usage().cacheWrite, 5);
        QCOMPARE(usage.stopReason(), u"max_tokens"_s);
    }

    void invokeAnthropic()
    {
        const auto usage = NativeUsage::fromInvoke(
            R"({"id":"msg_bdrk_01","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
                "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,
                "usage":{"input_tokens":12,"cache_creation_input_tokens":3,"cache_read_input_tokens":40,
                "output_tokens":6}})"_ba,
            "999", "999"); // the body's counts win over the headers
        QCOMPARE(usage.usage().input, 12);
        QCOMPARE(usage.usage().output, 6);
        QCOMPARE(usage.usage().cacheRead, 40);
        QCOMPARE(usage.usage().cacheWrite, 3);
        QCOMPARE(usage.stopReason(), u"end_turn"_s);
    }

    void invokeTitanSumsResults()
    {
        const auto usage = NativeUsage::fromInvoke(
            R"({"inputTextTokenCount":9,"results":[{"tokenCount":4,"outputText":"a b c d","completionReason":"FINISH"},
                {"tokenCount":3,"outputText":"e f g","completionReason":"LENGTH"}]})"_ba);
        QCOMPARE(usage.usage().input, 9);
        QCOMPARE(usage.usage().output, 7);
        QCOMPARE(usage.stopReason(), u"LENGTH"_s);
    }

    void invokeNova()
    {
        const auto usage = NativeUsage::fromInvoke(
            R"({"output":{"message":{"role":"assistant","content":[{"text":"Hi"}]}},"stopReason":"end_turn",
                "usage":{"inputTokens":20,"outputTokens":2,"totalTokens":22,"cacheReadInputTokenCount":8,
                "cacheWriteInputTokenCount":0}})"_ba);
        QCOMPARE(usage.usage().input, 20);
        QCOMPARE(usage.usage().output, 2);
        QCOMPARE(usage.usage().cacheRead, 8);
        QCOMPARE(usage.stopReason(), u"end_turn"_s);
    }

    void invokeLlama()
    {
        const auto usage = NativeUsage::fromInvoke(
            R"({"generation":"Hi","prompt_token_count":14,"generation_token_count":3,"stop_reason":"stop"})"_ba);
        QCOMPARE(usage.usage().input, 14);
        QCOMPARE(usage.usage().output, 3);
        QCOMPARE(usage.stopReason(), u"stop"_s);
    }

    void invokeFallsBackToHeaders()
    {
        // Cohere Command's body has no counts; Bedrock's headers always do.
        const auto usage = NativeUsage::fromInvoke(
            R"({"generations":[{"finish_reason":"COMPLETE","text":"Hi"}],"id":"x","prompt":"Hello"})"_ba,
            "17", "4");
        QVERIFY(usage.usage().present);
        QCOMPARE(usage.usage().input, 17);
        QCOMPARE(usage.usage().output, 4);
    }

    void invokeWithoutAnyCountsHasNoUsage()
    {
        const auto usage = NativeUsage::fromInvoke(R"({"generations":[]})"_ba);
        QVERIFY(!usage.usage().present);
        QCOMPARE(usage.usage().input, 0);
        QVERIFY(!NativeUsage::fromInvoke("not json"_ba).usage().present);
    }

    void converseStream()
    {
        NativeUsage usage;
        usage.addStreamEvent(streamEvent(u"messageStart"_s, R"({"role":"assistant","p":"abc"})"_ba));
        usage.addStreamEvent(
            streamEvent(u"contentBlockDelta"_s, R"({"contentBlockIndex":0,"delta":{"text":"Hi"}})"_ba));
        usage.addStreamEvent(streamEvent(u"messageStop"_s, R"({"stopReason":"stop_sequence"})"_ba));
        QVERIFY(!usage.usage().present);
        usage.addStreamEvent(
            streamEvent(u"metadata"_s, R"({"usage":{"inputTokens":5,"outputTokens":1,"totalTokens":6},
                                                      "metrics":{"latencyMs":3}})"_ba));
        QCOMPARE(usage.usage().input, 5);
        QCOMPARE(usage.usage().output, 1);
        QCOMPARE(usage.stopReason(), u"stop_sequence"_s);
    }

    void anthropicResponseStream()
    {
        NativeUsage usage;
        usage.addStreamEvent(chunk(
            R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],
                "model":"claude","stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1,
                "cache_read_input_tokens":10}}})"_ba));
        QCOMPARE(usage.usage().input, 25);
        QCOMPARE(usage.usage().output, 1);
        usage.addStreamEvent(chunk(
            R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})"_ba));
        usage.addStreamEvent(chunk(
            R"({"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":12}})"_ba));
        QCOMPARE(usage.usage().input, 25);
        QCOMPARE(usage.usage().output, 12);
        QCOMPARE(usage.usage().cacheRead, 10);
        QCOMPARE(usage.stopReason(), u"max_tokens"_s);
        // Bedrock's own totals on the last chunk are what it bills: they win.
        usage.addStreamEvent(chunk(
            R"({"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":26,"outputTokenCount":13,
                "invocationLatency":400,"firstByteLatency":90}})"_ba));
        QCOMPARE(usage.usage().input, 26);
        QCOMPARE(usage.usage().output, 13);
        QCOMPARE(usage.stopReason(), u"max_tokens"_s);
    }

    void titanResponseStream()
    {
        NativeUsage usage;
        usage.addStreamEvent(chunk(
            R"({"outputText":"Hello","index":0,"totalOutputTextTokenCount":1,"completionReason":null,"inputTextTokenCount":4})"_ba));
        usage.addStreamEvent(chunk(
            R"({"outputText":" world","index":0,"totalOutputTextTokenCount":2,"completionReason":"FINISH","inputTextTokenCount":4})"_ba));
        QCOMPARE(usage.usage().input, 4);
        QCOMPARE(usage.usage().output, 2);
        QCOMPARE(usage.stopReason(), u"FINISH"_s);
    }

    void exceptionFramesAndGarbageAreIgnored()
    {
        NativeUsage usage;
        EventStreamMessage exception;
        exception.headers = {{u":exception-type"_s, u"throttlingException"_s, EventStreamHeaderType::String},
                             {u":message-type"_s, u"exception"_s, EventStreamHeaderType::String}};
        exception.payload = R"({"message":"slow down","usage":{"inputTokens":99}})"_ba;
        usage.addStreamEvent(exception);
        usage.addStreamEvent(streamEvent(u"chunk"_s, R"({"bytes":"!!not base64 json!!"})"_ba));
        usage.addStreamEvent(streamEvent(u"metadata"_s, "{broken"_ba));
        QVERIFY(!usage.usage().present);
        QVERIFY(usage.stopReason().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestNativeUsage)
#include "tst_bedrock_nativeusage.moc"
