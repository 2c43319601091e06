// The console's client reads SSE and chat answers the way the gateway sends them, split anywhere.
#include "client/ChatRequest.h"
#include "client/ChatResponseReader.h"
#include "client/SseParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

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

    void errorEventMidStreamIsReported()
    {
        ChatResponseReader reader;
        reader.feedStream(chunk(u"half"_s));
        reader.feedStream(R"(data: {"error":{"message":"Too many requests, please wait.","type":"rate_limit_error"}})"
                          "\n\n"_ba);
        QCOMPARE(reader.text(), u"half"_s);
        QCOMPARE(reader.error(), u"Too many requests, please wait."_s);
        QVERIFY(!reader.done());
    }

    void nonStreamedBodyAndErrorBody()
    {
        ChatResponseReader answer;
        answer.readBody(R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}],)"
                        R"("usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})"_ba);
        QCOMPARE(answer.text(), u"Hi"_s);
        QCOMPARE(answer.finishReason(), u"length"_s);
        QCOMPARE(answer.usage()->total(), 4);

        // Cached prompt tokens are counted once: prompt_tokens includes them, input does not.
        ChatResponseReader cached;
        cached.readBody(R"({"choices":[],"usage":{"prompt_tokens":2012,"completion_tokens":4,"total_tokens":2016,)"
                        R"("prompt_tokens_details":{"cached_tokens":2000},"cache_creation_input_tokens":2}})"_ba);
        QCOMPARE(cached.usage()->input, 10);
        QCOMPARE(cached.usage()->cacheRead, 2000);
        QCOMPARE(cached.usage()->cacheWrite, 2);
        QCOMPARE(cached.usage()->total(), 2016);

        ChatResponseReader failure;
        failure.readBody(R"({"error":{"message":"The security token included in the request is invalid.","type":"permission_error"}})"_ba);
        QCOMPARE(failure.error(), u"The security token included in the request is invalid."_s);
    }

    void requestJsonAndCurl()
    {
        ChatRequest request;
        request.url = QUrl(u"http://127.0.0.1:8080/bedrock"_s);
        request.system = u"Be brief."_s;
        request.messages = {{u"user"_s, u"it's me"_s}};
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
};

QTEST_GUILESS_MAIN(TestClientSse)
#include "tst_client_sse.moc"
