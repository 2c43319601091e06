// The console's client reads SSE and chat answers the way the gateway sends them, split anywhere.
#include "client/ChatRequest.h"
#include "client/ChatResponseReader.h"
#include "client/SseParser.h"
#include "providers/bedrock/eventstream/EventStreamEncoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

Q_DECLARE_METATYPE(quarry::client::ChatApi)

using namespace Qt::StringLiterals;
using namespace quarry::client;

namespace {

// A stream in the shape of OpenAI's chat.completion.chunk events (as documented at
// platform.openai.com/docs/api-reference/chat-streaming), with multi-byte UTF-8 in the deltas.
QByteArray chunk(const QString &content)
{
    const QJsonObject delta{{u"content"_s, content}};
    const QJsonObject choice{{u"index"_s, 0}, {u"delta"_s, delta}, {u"finish_reason"_s, QJsonValue::Null}};
    const QJsonObject object{{u"object"_s, u"chat.completion.chunk"_s}, {u"choices"_s, QJsonArray{choice}}};
    return "data: "_ba + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n"_ba;
}

QByteArray sampleStream()
{
    QByteArray stream = ": keep-alive comment\n\n"_ba;
    stream += chunk(u"Grüße, "_s) + chunk(u"日本語 "_s) + chunk(u"🙂 done"_s);
    stream += R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
              "\n\n"_ba;
    stream += R"(data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}})"
              "\n\n"_ba;
    stream += "data: [DONE]\n\n"_ba;
    return stream;
}

// Anthropic's stream events as documented at docs.anthropic.com/en/api/messages-streaming.
QByteArray anthropicStream()
{
    return "event: message_start\n"
           R"(data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],)"
           R"("stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1,"cache_read_input_tokens":100}}})"
           "\n\nevent: content_block_start\n"
           R"(data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"
           "\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\nevent: content_block_delta\n"
           R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüße, "}})"
           "\n\nevent: content_block_delta\n"
           R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}})"
           "\n\nevent: content_block_delta\n"
           R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"日本語 🙂"}})"
           "\n\nevent: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
           "event: message_delta\n"
           R"(data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}})"
           "\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"_ba;
}

// OpenAI Responses stream events as documented at platform.openai.com/docs/api-reference/responses-streaming.
QByteArray responsesStream()
{
    return "event: response.created\n"
           R"(data: {"type":"response.created","response":{"id":"resp_1","status":"in_progress","output":[]}})"
           "\n\nevent: response.output_text.delta\n"
           R"(data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Grüße, "})"
           "\n\nevent: response.output_text.delta\n"
           R"(data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"日本語 🙂"})"
           "\n\nevent: response.output_text.done\n"
           R"(data: {"type":"response.output_text.done","text":"Grüße, 日本語 🙂"})"
           "\n\nevent: response.completed\n"
           R"(data: {"type":"response.completed","response":{"id":"resp_1","status":"completed","error":null,)"
           R"("usage":{"input_tokens":125,"input_tokens_details":{"cached_tokens":100},"output_tokens":15,"total_tokens":140}}})"
           "\n\n"_ba;
}

} // namespace

class TestClientSse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parserSplitsOnBlankLinesAndJoinsDataLines()
    {
        SseParser parser;
        const auto events = parser.feed("event: ping\ndata: a\ndata: b\n\ndata: c\r\n\r\ndata: partial"_ba);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].event, u"ping"_s);
        QCOMPARE(events[0].data, u"a\nb"_s);
        QCOMPARE(events[1].data, u"c"_s);
        QVERIFY(parser.pending() > 0); // the unterminated event waits for its blank line
        QCOMPARE(parser.feed("\n\n"_ba).value(0).data, u"partial"_s);
    }

    void streamSplitAtEveryByteGivesTheSameAnswer()
    {
        const QByteArray stream = sampleStream();
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            ChatResponseReader reader;
            QString streamed = reader.feedStream(QByteArrayView(stream).first(cut));
            streamed += reader.feedStream(QByteArrayView(stream).sliced(cut));
            QCOMPARE(streamed, u"Grüße, 日本語 🙂 done"_s);
            QCOMPARE(reader.finishReason(), u"stop"_s);
            QVERIFY(reader.usage().has_value());
            QCOMPARE(reader.usage()->input, 12);
            QCOMPARE(reader.usage()->output, 7);
            QCOMPARE(reader.usage()->total(), 19);
            QVERIFY(reader.done());
            QVERIFY(reader.error().isEmpty());
        }
    }

    void byteAtATimeNeverYieldsReplacementCharacters()
    {
        const QByteArray stream = sampleStream();
        ChatResponseReader reader;
        QString streamed;
        for (const char byte : stream)
            streamed += reader.feedStream(QByteArrayView(&byte, 1));
        QVERIFY(!streamed.contains(QChar::ReplacementCharacter));
        QCOMPARE(streamed, u"Grüße, 日本語 🙂 done"_s);
        QCOMPARE(reader.deltaCount(), 3);
    }

    void anthropicAndResponsesStreamsSplitAnywhere_data()
    {
        QTest::addColumn<ChatApi>("api");
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("finishReason");
        QTest::newRow("anthropic") << ChatApi::AnthropicMessages << anthropicStream() << u"end_turn"_s;
        QTest::newRow("responses") << ChatApi::Responses << responsesStream() << u"completed"_s;
    }
    void anthropicAndResponsesStreamsSplitAnywhere()
    {
        QFETCH(ChatApi, api);
        QFETCH(QByteArray, stream);
        QFETCH(QString, finishReason);
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            ChatResponseReader reader(api);
            QString streamed = reader.feedStream(QByteArrayView(stream).first(cut));
            QVERIFY(!reader.done() || cut == stream.size());
            streamed += reader.feedStream(QByteArrayView(stream).sliced(cut));
            QCOMPARE(streamed, u"Grüße, 日本語 🙂"_s); // thinking is not the answer
            QCOMPARE(reader.deltaCount(), 2);
            QCOMPARE(reader.finishReason(), finishReason);
            QVERIFY(reader.usage().has_value());
            QCOMPARE(reader.usage()->input, 25);
            QCOMPARE(reader.usage()->cacheRead, 100);
            QCOMPARE(reader.usage()->output, 15);
            QVERIFY(reader.done());
            QVERIFY(reader.error().isEmpty());
        }
    }

    void anthropicAndResponsesErrorEvents()
    {
        ChatResponseReader anthropic(ChatApi::AnthropicMessages);
        anthropic.feedStream(
            "event: error\n"
            R"(data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"
            "\n\n"_ba);
        QCOMPARE(anthropic.error(), u"Overloaded"_s);
        ChatResponseReader responses(ChatApi::Responses);
        responses.feedStream(R"(data: {"type":"error","code":"rate_limit_exceeded","message":"Slow down"})"
                             "\n\n"_ba);
        QCOMPARE(responses.error(), u"Slow down"_s);
        ChatResponseReader failed(ChatApi::Responses);
        failed.feedStream(
            R"(data: {"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"Broke"}}})"
            "\n\n"_ba);
        QCOMPARE(failed.error(), u"Broke"_s);
        QVERIFY(failed.done());
    }

    void anthropicAndResponsesBodies()
    {
        ChatResponseReader anthropic(ChatApi::AnthropicMessages);
        anthropic.readBody(
            R"({"id":"msg_1","type":"message","role":"assistant","content":[{"type":"thinking","thinking":"x"},)"
            R"({"type":"text","text":"Hi "},{"type":"text","text":"there"}],"stop_reason":"max_tokens",)"
            R"("usage":{"input_tokens":3,"output_tokens":2,"cache_creation_input_tokens":7}})"_ba);
        QCOMPARE(anthropic.text(), u"Hi there"_s);
        QCOMPARE(anthropic.finishReason(), u"max_tokens"_s);
        QCOMPARE(anthropic.usage()->promptTotal(), 10);
        QCOMPARE(anthropic.usage()->output, 2);

        ChatResponseReader responses(ChatApi::Responses);
        responses.readBody(
            R"({"id":"resp_1","object":"response","status":"completed","output":[)"
            R"({"type":"reasoning","summary":[]},{"type":"message","role":"assistant","content":)"
            R"([{"type":"output_text","text":"Hi there","annotations":[]}]}],)"
            R"("usage":{"input_tokens":9,"input_tokens_details":{"cached_tokens":4},"output_tokens":2}})"_ba);
        QCOMPARE(responses.text(), u"Hi there"_s);
        QCOMPARE(responses.finishReason(), u"completed"_s);
        QCOMPARE(responses.usage()->input, 5);
        QCOMPARE(responses.usage()->cacheRead, 4);

        ChatResponseReader refused(ChatApi::AnthropicMessages);
        refused.readBody(
            R"({"type":"error","error":{"type":"authentication_error","message":"Needs a key"}})"_ba);
        QCOMPARE(refused.error(), u"Needs a key"_s);
    }

    // The console shows reasoning and tool calls: each API's shape of them is read, streamed or whole.
    void reasoningAndToolCallsInEveryApi()
    {
        ChatResponseReader openAi(ChatApi::OpenAiChat);
        QByteArray stream =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Think \"}}]}" "\n\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"twice.\"}}]}" "\n\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]}}]}" "\n\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Oslo\\\"}\"}}]}}]}" "\n\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}" "\n\ndata: [DONE]\n\n"_ba;
        QCOMPARE(openAi.feedStream(stream), QString()); // neither is answer text
        QCOMPARE(openAi.reasoning(), u"Think twice."_s);
        QCOMPARE(openAi.toolCalls().size(), 1);
        QCOMPARE(openAi.toolCalls().first().id, u"call_1"_s);
        QCOMPARE(openAi.toolCalls().first().name, u"get_weather"_s);
        QCOMPARE(openAi.toolCalls().first().arguments, u"{\"city\":\"Oslo\"}"_s);

        ChatResponseReader openAiBody(ChatApi::OpenAiChat);
        openAiBody.readBody("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"R\","
                            "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"{}\"}},"
                            "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"b\",\"arguments\":\"{\\\"x\\\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]}"_ba);
        QCOMPARE(openAiBody.reasoning(), u"R"_s);
        QCOMPARE(openAiBody.toolCalls().size(), 2);
        QCOMPARE(openAiBody.toolCalls().at(1).name, u"b"_s);

        ChatResponseReader anthropic(ChatApi::AnthropicMessages);
        const QString text = anthropic.feedStream(anthropicStream());
        QCOMPARE(text, u"Grüße, 日本語 🙂"_s);
        QCOMPARE(anthropic.reasoning(), u"hmm"_s);
        ChatResponseReader anthropicTool(ChatApi::AnthropicMessages);
        anthropicTool.feedStream(
            "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"lookup\",\"input\":{}}}" "\n\n"
            "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":\"}}" "\n\n"
            "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"rocks\\\"}\"}}" "\n\n"_ba);
        QCOMPARE(anthropicTool.toolCalls().size(), 1);
        QCOMPARE(anthropicTool.toolCalls().first().name, u"lookup"_s);
        QCOMPARE(anthropicTool.toolCalls().first().arguments, u"{\"q\":\"rocks\"}"_s);
        ChatResponseReader anthropicBody(ChatApi::AnthropicMessages);
        anthropicBody.readBody("{\"content\":[{\"type\":\"thinking\",\"thinking\":\"x\"},{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{\"a\":1}}]}"_ba);
        QCOMPARE(anthropicBody.reasoning(), u"x"_s);
        QCOMPARE(anthropicBody.toolCalls().first().arguments, u"{\"a\":1}"_s);

        ChatResponseReader responses(ChatApi::Responses);
        responses.feedStream(
            "data: {\"type\":\"response.reasoning_summary_text.delta\",\"delta\":\"Sum\"}" "\n\n"
            "data: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\",\"output\":[{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Sum\"}]},"
            "{\"type\":\"function_call\",\"call_id\":\"call_9\",\"name\":\"f\",\"arguments\":\"{}\"}]}}" "\n\n"_ba);
        QCOMPARE(responses.reasoning(), u"Sum"_s); // not twice: the final response repeats it
        QCOMPARE(responses.toolCalls().size(), 1);
        QCOMPARE(responses.toolCalls().first().id, u"call_9"_s);
    }

    void anthropicAndResponsesRequests()
    {
        ChatRequest request;
        request.url = QUrl(u"http://127.0.0.1:8080/bedrock"_s);
        request.system = u"Be brief."_s;
        request.messages = {{u"user"_s, u"hi"_s, {}}};
        request.stream = true;

        request.api = ChatApi::AnthropicMessages;
        QCOMPARE(request.endpoint(), QUrl(u"http://127.0.0.1:8080/bedrock/v1/messages"_s));
        QJsonObject body = QJsonDocument::fromJson(request.toJson()).object();
        QCOMPARE(body.value("system"_L1).toString(), u"Be brief."_s);
        QCOMPARE(body.value("max_tokens"_L1).toInt(), ChatRequest::DefaultAnthropicMaxTokens);
        QCOMPARE(body.value("messages"_L1).toArray().size(), 1);
        QVERIFY(body.value("stream"_L1).toBool());
        QVERIFY(request.headers().contains(qMakePair("anthropic-version"_ba, "2023-06-01"_ba)));
        QVERIFY(request.toCurl().contains(u"'http://127.0.0.1:8080/bedrock/v1/messages'"_s));

        request.api = ChatApi::Responses;
        request.maxTokens = 7;
        QCOMPARE(request.endpoint(), QUrl(u"http://127.0.0.1:8080/bedrock/v1/responses"_s));
        body = QJsonDocument::fromJson(request.toJson()).object();
        QCOMPARE(body.value("instructions"_L1).toString(), u"Be brief."_s);
        QCOMPARE(body.value("max_output_tokens"_L1).toInt(), 7);
        QCOMPARE(body.value("input"_L1).toArray()[0]["content"_L1].toString(), u"hi"_s);
        QVERIFY(!body.contains("messages"_L1));

        QCOMPARE(chatApiNamed(u"openai"_s), std::optional(ChatApi::OpenAiChat));
        QCOMPARE(chatApiNamed(u"anthropic"_s), std::optional(ChatApi::AnthropicMessages));
        QCOMPARE(chatApiNamed(u"responses"_s), std::optional(ChatApi::Responses));
        QVERIFY(!chatApiNamed(u"converse"_s));
    }

    void errorEventMidStreamIsReported()
    {
        ChatResponseReader reader;
        reader.feedStream(chunk(u"half"_s));
        reader.feedStream(
            R"(data: {"error":{"message":"Too many requests, please wait.","type":"rate_limit_error"}})"
            "\n\n"_ba);
        QCOMPARE(reader.text(), u"half"_s);
        QCOMPARE(reader.error(), u"Too many requests, please wait."_s);
        QVERIFY(!reader.done());
    }

    void nonStreamedBodyAndErrorBody()
    {
        ChatResponseReader answer;
        answer.readBody(
            R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}],)"
            R"("usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})"_ba);
        QCOMPARE(answer.text(), u"Hi"_s);
        QCOMPARE(answer.finishReason(), u"length"_s);
        QCOMPARE(answer.usage()->total(), 4);

        // Cached prompt tokens are counted once: prompt_tokens includes them, input does not.
        ChatResponseReader cached;
        cached.readBody(
            R"({"choices":[],"usage":{"prompt_tokens":2012,"completion_tokens":4,"total_tokens":2016,)"
            R"("prompt_tokens_details":{"cached_tokens":2000},"cache_creation_input_tokens":2}})"_ba);
        QCOMPARE(cached.usage()->input, 10);
        QCOMPARE(cached.usage()->cacheRead, 2000);
        QCOMPARE(cached.usage()->cacheWrite, 2);
        QCOMPARE(cached.usage()->total(), 2016);

        ChatResponseReader failure;
        failure.readBody(
            R"({"error":{"message":"The security token included in the request is invalid.","type":"permission_error"}})"_ba);
        QCOMPARE(failure.error(), u"The security token included in the request is invalid."_s);
    }

    void requestJsonAndCurl()
    {
        ChatRequest request;
        request.url = QUrl(u"http://127.0.0.1:8080/bedrock"_s);
        request.system = u"Be brief."_s;
        request.messages = {{u"user"_s, u"it's me"_s, {}}};
        request.maxTokens = 5;
        request.stream = true;
        const QJsonObject body = QJsonDocument::fromJson(request.toJson()).object();
        QCOMPARE(body.value("model"_L1).toString(), QString());
        QCOMPARE(body.value("max_tokens"_L1).toInt(), 5);
        QVERIFY(!body.contains("temperature"_L1));
        QVERIFY(body.value("stream"_L1).toBool());
        QVERIFY(body.value("stream_options"_L1)["include_usage"_L1].toBool());
        const QJsonArray messages = body.value("messages"_L1).toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[0]["role"_L1].toString(), u"system"_s);
        QCOMPARE(messages[1]["content"_L1].toString(), u"it's me"_s);

        const QString curl = request.toCurl();
        QVERIFY(curl.startsWith(u"curl -sS -N 'http://127.0.0.1:8080/bedrock'"_s));
        QVERIFY(curl.contains(u"it'\\''s me"_s)); // the quote survives a POSIX shell
    }

    // Converse (the console's native style): the model in the path, encoded as the AWS SDKs do
    // (an ARN's ':' and '/' included), streaming chosen by the path, the body in Converse's shape.
    void converseRequestShape()
    {
        ChatRequest request;
        request.url = QUrl(u"http://127.0.0.1:8080/bedrock"_s);
        request.api = ChatApi::Converse;
        request.model = u"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-micro-v1:0"_s;
        request.system = u"be brief"_s;
        request.messages = {{u"user"_s, u"hi"_s, {}}};
        request.maxTokens = 5;
        request.stream = true;
        QCOMPARE(request.endpoint().toString(QUrl::FullyEncoded),
                 u"http://127.0.0.1:8080/bedrock/model/"
                 "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-micro-v1%3A0"
                 "/converse-stream"_s);
        request.stream = false;
        QVERIFY(request.endpoint().path(QUrl::FullyEncoded).endsWith(u"/converse"_s));
        const QJsonObject body = QJsonDocument::fromJson(request.toJson()).object();
        QCOMPARE(body.value("messages"_L1)[0]["content"_L1][0]["text"_L1].toString(), u"hi"_s);
        QCOMPARE(body.value("system"_L1)[0]["text"_L1].toString(), u"be brief"_s);
        QCOMPARE(body.value("inferenceConfig"_L1)["maxTokens"_L1].toInt(), 5);
        QVERIFY(!body.contains("model"_L1) && !body.contains("stream"_L1));
    }

    void converseAnswersAreRead()
    {
        ChatResponseReader whole(ChatApi::Converse);
        whole.readBody(R"({"output":{"message":{"role":"assistant","content":[{"text":"Hello"}]}},
            "stopReason":"end_turn","usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4}})");
        QCOMPARE(whole.text(), u"Hello"_s);
        QCOMPARE(whole.finishReason(), u"end_turn"_s);
        QCOMPARE(whole.usage()->output, 1);
        ChatResponseReader refused(ChatApi::Converse);
        refused.readBody(R"({"message":"The model is not available"})");
        QCOMPARE(refused.error(), u"The model is not available"_s);

        // Frames split anywhere across reads, as they arrive from the socket.
        using quarry::bedrock::EventStreamEncoder;
        const QByteArray stream = EventStreamEncoder::encodeEvent(u"messageStart"_s, R"({"role":"assistant"})") +
                                  EventStreamEncoder::encodeEvent(u"contentBlockDelta"_s, R"({"delta":{"text":"Hel"}})") +
                                  EventStreamEncoder::encodeEvent(u"contentBlockDelta"_s, R"({"delta":{"text":"lo"}})") +
                                  EventStreamEncoder::encodeEvent(u"messageStop"_s, R"({"stopReason":"max_tokens"})") +
                                  EventStreamEncoder::encodeEvent(u"metadata"_s,
                                                                  R"({"usage":{"inputTokens":3,"outputTokens":2}})");
        ChatResponseReader streamed(ChatApi::Converse);
        QString text;
        for (qsizetype at = 0; at < stream.size(); at += 7)
            text += streamed.feedEventStream(QByteArrayView(stream).sliced(at, qMin<qsizetype>(7, stream.size() - at)));
        QCOMPARE(text, u"Hello"_s);
        QCOMPARE(streamed.finishReason(), u"max_tokens"_s);
        QCOMPARE(streamed.usage()->output, 2);
        QVERIFY(streamed.done());
        ChatResponseReader failing(ChatApi::Converse);
        failing.feedEventStream(EventStreamEncoder::encodeException(u"throttlingException"_s, R"({"message":"slow down"})"));
        QCOMPARE(failing.error(), u"throttlingException: slow down"_s);
    }
};

QTEST_GUILESS_MAIN(TestClientSse)
#include "tst_client_sse.moc"
