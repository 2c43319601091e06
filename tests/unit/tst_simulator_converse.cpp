// The Bedrock simulator over real HTTP: SigV4 and API-key auth, Converse JSON, event streams, faults.
#include "aws/SigV4Signer.h"
#include "simulator/BedrockSimulator.h"
#include "providers/bedrock/eventstream/EventStreamDecoder.h"

#include "TestSupport.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::bedrock;

namespace {

const QString kAccessKey = u"AKIDSIMULATOREXAMPLE"_s;
const QString kSecretKey = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYSIMULATOR"_s;
const QString kApiKey = u"ABSKsimulatortestkey0123456789"_s;
const QString kModel = u"anthropic.claude-3-5-haiku-20241022-v1:0"_s;
const QByteArray kModelInPath = "anthropic.claude-3-5-haiku-20241022-v1%3A0"_ba;

struct Response
{
    int status = 0;
    QByteArray body;
    QMap<QByteArray, QByteArray> headers; // lowercase names
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorType() const
    {
        return QString::fromUtf8(headers.value("x-amzn-errortype").split(':').first());
    }
};

QByteArray userMessages(const QStringList &texts, const QString &system = {},
                        const QJsonObject &inference = {})
{
    QJsonArray messages;
    for (qsizetype i = 0; i < texts.size(); ++i)
        messages.append(QJsonObject{{u"role"_s, i % 2 ? u"assistant"_s : u"user"_s},
                                    {u"content"_s, QJsonArray{QJsonObject{{u"text"_s, texts[i]}}}}});
    QJsonObject body{{u"messages"_s, messages}};
    if (!system.isEmpty())
        body.insert(u"system"_s, QJsonArray{QJsonObject{{u"text"_s, system}}});
    if (!inference.isEmpty())
        body.insert(u"inferenceConfig"_s, inference);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// Every frame of an event-stream body, decoded; fails the test on a decoding error.
QList<EventStreamMessage> decodeAll(const QByteArray &body)
{
    EventStreamDecoder decoder;
    decoder.feed(body);
    QList<EventStreamMessage> out;
    while (auto next = decoder.next()) {
        if (!next->ok()) {
            qWarning("decode error: %s", qPrintable(next->error()));
            return {};
        }
        out.append(next->value());
    }
    return out;
}

QJsonObject payloadOf(const EventStreamMessage &message)
{
    return QJsonDocument::fromJson(message.payload).object();
}

} // namespace

class TestBedrockSimulator : public QObject
{
    Q_OBJECT

private:
    // POST to the simulator; authorization "sigv4" or "sigv4:<access key id>" (signed with
    // `secret`), "bearer:<key>" or "none".
    Response post(const QByteArray &path, const QByteArray &body, const QString &authorization = u"sigv4"_s,
                  const QString &secret = kSecretKey);

    BedrockSimulator *m_simulator = nullptr;
    QNetworkAccessManager *m_network = nullptr;

private slots:
    void initTestCase();
    void cleanupTestCase();
    void converseAnswersDeterministically();
    void streamsEventsOneDeltaPerWord();
    void maxTokensAndStopSequencesCutTheReply();
    void wrongSecretIsInvalidSignature();
    void unknownAccessKeyIsRejected();
    void bearerApiKey();
    void validationErrors_data();
    void validationErrors();
    void faultMarkers();
    void streamExceptionAfterThreeDeltas();
    void longStreamHasExactWordCount();
    void streamArrivesBeforeItEnds();
    void slowMarkerDelaysTheAnswer();
    void modelIdIsPercentDecoded();
    void toolUseFromSchema();
    void parallelToolsAndStreamedToolUse();
    void toolResultsAreCounted();
    void toolBlocksNeedToolConfig();
    void thinkingReasoningAndReplayCheck();
    void cachePointsWriteThenRead();
    void imagesAreEchoedAndGuardrail();
};

void TestBedrockSimulator::initTestCase()
{
    m_simulator = new BedrockSimulator(this);
    m_simulator->addIdentity(kAccessKey, kSecretKey);
    m_simulator->addApiKey(kApiKey);
    const Status listening = m_simulator->listen();
    QVERIFY2(listening.ok(), listening.ok() ? "" : qPrintable(listening.error()));
    QVERIFY(m_simulator->port() != 0);
    m_network = new QNetworkAccessManager(this);
}

void TestBedrockSimulator::cleanupTestCase()
{
    delete m_network;
    delete m_simulator;
}

Response TestBedrockSimulator::post(const QByteArray &path, const QByteArray &body,
                                    const QString &authorization, const QString &secret)
{
    const QByteArray host = "127.0.0.1:"_ba + QByteArray::number(m_simulator->port());
    QNetworkRequest request(QUrl::fromEncoded("http://"_ba + host + path, QUrl::StrictMode));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    if (authorization.startsWith(u"sigv4")) {
        const QString accessKey = authorization.contains(u':') ? authorization.section(u':', 1) : kAccessKey;
        aws::SignableRequest signable{
            "POST"_ba, path, {}, {{"host"_ba, host}, {"content-type"_ba, "application/json"_ba}}, body};
        const aws::SigV4Signer signer(u"us-east-1"_s, u"bedrock"_s);
        for (const auto &[name, value] :
             signer.sign(signable, {accessKey, secret, {}}, QDateTime::currentDateTimeUtc()))
            request.setRawHeader(name, value);
    } else if (authorization.startsWith(u"bearer:")) {
        request.setRawHeader("Authorization"_ba, "Bearer "_ba + authorization.mid(7).toUtf8());
    }
    QNetworkReply *reply = m_network->post(request, body);
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    Response response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        response.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return response;
}

void TestBedrockSimulator::converseAnswersDeterministically()
{
    const QByteArray body =
        userMessages({u"Hello there"_s, u"Hi, how can I help?"_s, u"Tell me  about\tquarries please"_s},
                     u"You are terse."_s);
    const Response first = post("/model/"_ba + kModelInPath + "/converse"_ba, body);
    QCOMPARE(first.status, 200);
    QVERIFY(!first.headers.value("x-amzn-requestid").isEmpty());
    const QJsonObject json = first.json();
    const QJsonObject message = json[u"output"][u"message"].toObject();
    QCOMPARE(message[u"role"].toString(), u"assistant"_s);
    const QString expectedText = u"Simulated reply from "_s + kModel + u": Tell me about quarries please"_s;
    QCOMPARE(message[u"content"][0][u"text"].toString(), expectedText);
    QCOMPARE(json[u"stopReason"].toString(), u"end_turn"_s);
    // system 3 + messages 2 + 5 + 5 words; the reply is 4 + 5 words.
    QCOMPARE(json[u"usage"][u"inputTokens"].toInt(), 15);
    QCOMPARE(json[u"usage"][u"outputTokens"].toInt(), 9);
    QCOMPARE(json[u"usage"][u"totalTokens"].toInt(), 24);
    QVERIFY(json[u"metrics"][u"latencyMs"].isDouble());

    const Response second = post("/model/"_ba + kModelInPath + "/converse"_ba, body);
    QCOMPARE(second.json()[u"output"][u"message"][u"content"][0][u"text"].toString(), expectedText);
}

void TestBedrockSimulator::streamsEventsOneDeltaPerWord()
{
    const Response response = post("/model/"_ba + kModelInPath + "/converse-stream"_ba,
                                   userMessages({u"stream these five words"_s}));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("content-type"), "application/vnd.amazon.eventstream"_ba);
    const QList<EventStreamMessage> events = decodeAll(response.body);
    QStringList types;
    QString text;
    for (const EventStreamMessage &event : events) {
        QCOMPARE(event.headerString(u":message-type"_s), u"event"_s);
        QCOMPARE(event.headerString(u":content-type"_s), u"application/json"_s);
        QVERIFY2(payloadOf(event)[u"p"].isString(), event.payload.constData());
        types.append(event.headerString(u":event-type"_s));
        if (types.last() == u"contentBlockDelta") {
            QCOMPARE(payloadOf(event)[u"contentBlockIndex"].toInt(-1), 0);
            text += payloadOf(event)[u"delta"][u"text"].toString();
        }
    }
    const QString expectedText = u"Simulated reply from "_s + kModel + u": stream these five words"_s;
    QCOMPARE(text, expectedText);
    const qsizetype words = expectedText.split(u' ').size();
    QStringList expectedTypes{u"messageStart"_s};
    for (qsizetype i = 0; i < words; ++i)
        expectedTypes.append(u"contentBlockDelta"_s);
    expectedTypes += QStringList{u"contentBlockStop"_s, u"messageStop"_s, u"metadata"_s};
    QCOMPARE(types, expectedTypes);
    QCOMPARE(payloadOf(events.first())[u"role"].toString(), u"assistant"_s);
    QCOMPARE(payloadOf(events[events.size() - 2])[u"stopReason"].toString(), u"end_turn"_s);
    const QJsonObject metadata = payloadOf(events.last());
    QCOMPARE(metadata[u"usage"][u"inputTokens"].toInt(), 4);
    QCOMPARE(metadata[u"usage"][u"outputTokens"].toInt(), int(words));
    QCOMPARE(metadata[u"usage"][u"totalTokens"].toInt(), 4 + int(words));
    QVERIFY(metadata[u"metrics"][u"latencyMs"].isDouble());
}

void TestBedrockSimulator::maxTokensAndStopSequencesCutTheReply()
{
    const QByteArray path = "/model/"_ba + kModelInPath + "/converse"_ba;
    const Response limited =
        post(path, userMessages({u"one two three four five"_s}, {}, {{u"maxTokens"_s, 3}}));
    QCOMPARE(limited.status, 200);
    QCOMPARE(limited.json()[u"output"][u"message"][u"content"][0][u"text"].toString(),
             u"Simulated reply from"_s);
    QCOMPARE(limited.json()[u"stopReason"].toString(), u"max_tokens"_s);
    QCOMPARE(limited.json()[u"usage"][u"outputTokens"].toInt(), 3);

    const QJsonObject stops{{u"stopSequences"_s, QJsonArray{u"four"_s, u"three"_s}}};
    const Response stopped = post(path, userMessages({u"one two three four five"_s}, {}, stops));
    QCOMPARE(stopped.json()[u"output"][u"message"][u"content"][0][u"text"].toString(),
             u"Simulated reply from "_s + kModel + u": one two "_s);
    QCOMPARE(stopped.json()[u"stopReason"].toString(), u"stop_sequence"_s);
    QCOMPARE(stopped.json()[u"usage"][u"outputTokens"].toInt(), 6);
}

void TestBedrockSimulator::wrongSecretIsInvalidSignature()
{
    const Response response = post("/model/"_ba + kModelInPath + "/converse"_ba, userMessages({u"hi"_s}),
                                   u"sigv4"_s, u"not-the-secret"_s);
    QCOMPARE(response.status, 403);
    QCOMPARE(response.errorType(), u"InvalidSignatureException"_s);
    QVERIFY(response.headers.value("x-amzn-errortype")
                .endsWith(":http://internal.amazon.com/coral/com.amazon.bedrock/"));
    QVERIFY(!response.json()[u"message"].toString().isEmpty());
    QVERIFY(!response.body.contains(kSecretKey.toUtf8()));
}

void TestBedrockSimulator::unknownAccessKeyIsRejected()
{
    const QByteArray path = "/model/"_ba + kModelInPath + "/converse"_ba;
    const Response unknown = post(path, userMessages({u"hi"_s}), u"sigv4:AKIDNOTKNOWNTOSIM"_s);
    QCOMPARE(unknown.status, 403);
    QCOMPARE(unknown.errorType(), u"UnrecognizedClientException"_s);
    const Response unsigned_ = post(path, userMessages({u"hi"_s}), u"none"_s);
    QCOMPARE(unsigned_.status, 403);
    QCOMPARE(unsigned_.errorType(), u"MissingAuthenticationTokenException"_s);
}

void TestBedrockSimulator::bearerApiKey()
{
    const QByteArray path = "/model/"_ba + kModelInPath + "/converse"_ba;
    const Response good = post(path, userMessages({u"hi"_s}), u"bearer:"_s + kApiKey);
    QCOMPARE(good.status, 200);
    QCOMPARE(good.json()[u"output"][u"message"][u"content"][0][u"text"].toString(),
             u"Simulated reply from "_s + kModel + u": hi"_s);
    const Response bad = post(path, userMessages({u"hi"_s}), u"bearer:ABSKwrongkey"_s);
    QCOMPARE(bad.status, 403);
    QCOMPARE(bad.errorType(), u"AccessDeniedException"_s);
}

void TestBedrockSimulator::validationErrors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("messageStart");
    QTest::newRow("invalid json") << "{\"messages\": ["_ba << u"Malformed input request"_s;
    QTest::newRow("no messages") << "{}"_ba << u"1 validation error detected: Value null at 'messages'"_s;
    QTest::newRow("starts with assistant")
        << R"({"messages":[{"role":"assistant","content":[{"text":"hi"}]}]})"_ba
        << u"A conversation must start with a user message."_s;
    QTest::newRow("user twice")
        << R"({"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"user","content":[{"text":"b"}]}]})"_ba
        << u"A conversation must alternate between user and assistant roles."_s;
}

void TestBedrockSimulator::validationErrors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, messageStart);
    const Response response = post("/model/"_ba + kModelInPath + "/converse"_ba, body);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorType(), u"ValidationException"_s);
    QVERIFY2(response.json()[u"message"].toString().startsWith(messageStart), response.body.constData());
}

void TestBedrockSimulator::faultMarkers()
{
    const QByteArray path = "/model/"_ba + kModelInPath + "/converse"_ba;
    const Response throttled = post(path, userMessages({u"please [sim:throttle]"_s}));
    QCOMPARE(throttled.status, 429);
    QCOMPARE(throttled.errorType(), u"ThrottlingException"_s);
    QCOMPARE(throttled.json()[u"message"].toString(),
             u"Too many requests, please wait before trying again."_s);
    const Response denied = post(path, userMessages({u"[sim:access-denied] please"_s}));
    QCOMPARE(denied.status, 403);
    QCOMPARE(denied.errorType(), u"AccessDeniedException"_s);
    // Markers in earlier turns do not count, and are not echoed.
    const Response fine = post(path, userMessages({u"[sim:throttle]"_s, u"ok"_s, u"now fine"_s}));
    QCOMPARE(fine.status, 200);
}

void TestBedrockSimulator::streamExceptionAfterThreeDeltas()
{
    const Response response = post("/model/"_ba + kModelInPath + "/converse-stream"_ba,
                                   userMessages({u"tell a long story [sim:stream-exception]"_s}));
    QCOMPARE(response.status, 200);
    const QList<EventStreamMessage> events = decodeAll(response.body);
    QCOMPARE(events.size(), 5); // messageStart, 3 deltas, exception
    QCOMPARE(events[3].headerString(u":event-type"_s), u"contentBlockDelta"_s);
    QCOMPARE(events[4].headerString(u":message-type"_s), u"exception"_s);
    QCOMPARE(events[4].headerString(u":exception-type"_s), u"throttlingException"_s);
    QVERIFY(!payloadOf(events[4])[u"message"].toString().isEmpty());
}

void TestBedrockSimulator::longStreamHasExactWordCount()
{
    QElapsedTimer timer;
    timer.start();
    const Response response =
        post("/model/"_ba + kModelInPath + "/converse-stream"_ba, userMessages({u"go [sim:words:2000]"_s}));
    QCOMPARE(response.status, 200);
    const QList<EventStreamMessage> events = decodeAll(response.body);
    QString text;
    int deltas = 0;
    for (const EventStreamMessage &event : events) {
        if (event.headerString(u":event-type"_s) == u"contentBlockDelta") {
            ++deltas;
            text += payloadOf(event)[u"delta"][u"text"].toString();
        }
    }
    QCOMPARE(deltas, 2000);
    QCOMPARE(text.split(u' ', Qt::SkipEmptyParts).size(), 2000);
    QCOMPARE(payloadOf(events.last())[u"usage"][u"outputTokens"].toInt(), 2000);
    QVERIFY2(timer.elapsed() < 10000, "a 2000-word stream should take well under 10 s");
}

void TestBedrockSimulator::streamArrivesBeforeItEnds()
{
    // Events must reach the client as they are produced, not all at once at the end.
    const QByteArray path = "/model/"_ba + kModelInPath + "/converse-stream"_ba;
    const QByteArray body = userMessages({u"go [sim:words:300]"_s});
    const QByteArray host = "127.0.0.1:"_ba + QByteArray::number(m_simulator->port());
    QNetworkRequest request(QUrl::fromEncoded("http://"_ba + host + path, QUrl::StrictMode));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Authorization"_ba, "Bearer "_ba + kApiKey.toUtf8());
    QNetworkReply *reply = m_network->post(request, body);
    EventStreamDecoder decoder;
    int deltasBeforeEnd = -1;
    int deltas = 0;
    connect(reply, &QNetworkReply::readyRead, this, [&] {
        decoder.feed(reply->readAll());
        while (auto next = decoder.next()) {
            if (next->ok() && next->value().headerString(u":event-type"_s) == u"contentBlockDelta")
                ++deltas;
            if (next->ok() && next->value().headerString(u":event-type"_s) == u"metadata")
                return;
        }
        if (deltasBeforeEnd < 0 && deltas > 0)
            deltasBeforeEnd = deltas;
    });
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    QCOMPARE(deltas, 300);
    QVERIFY2(deltasBeforeEnd > 0 && deltasBeforeEnd < 300, qPrintable(QString::number(deltasBeforeEnd)));
    QVERIFY(!decoder.hasError());
}

void TestBedrockSimulator::slowMarkerDelaysTheAnswer()
{
    QElapsedTimer timer;
    timer.start();
    const Response response =
        post("/model/"_ba + kModelInPath + "/converse"_ba, userMessages({u"[sim:slow:300] wait"_s}));
    QCOMPARE(response.status, 200);
    QVERIFY(timer.elapsed() >= 300);
    QCOMPARE(response.json()[u"output"][u"message"][u"content"][0][u"text"].toString(),
             u"Simulated reply from "_s + kModel + u": wait"_s);
}

void TestBedrockSimulator::modelIdIsPercentDecoded()
{
    const QByteArray arnInPath =
        "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x.y-v1%3A0"_ba;
    const Response response = post("/model/"_ba + arnInPath + "/converse"_ba, userMessages({u"hi"_s}));
    QCOMPARE(response.status, 200);
    QCOMPARE(
        response.json()[u"output"][u"message"][u"content"][0][u"text"].toString(),
        u"Simulated reply from arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x.y-v1:0: hi"_s);
}

namespace {

QByteArray bodyOf(const char *json)
{
    return QByteArray(json);
}

const char *kToolConfig =
    R"("toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object",
    "properties":{"city":{"type":"string"},"days":{"type":"integer"},"metric":{"type":"boolean"},"x":{"type":"string"}},
    "required":["city","days","metric"]}}}},{"toolSpec":{"name":"get_time","inputSchema":{"json":{"type":"object"}}}}]})";

} // namespace

void TestBedrockSimulator::toolUseFromSchema()
{
    const QByteArray body = R"({"messages":[{"role":"user","content":[{"text":"Weather?"}]}],)"_ba + kToolConfig + "}";
    const Response response = post("/model/"_ba + kModelInPath + "/converse"_ba, body);
    QCOMPARE(response.status, 200);
    const QJsonObject json = response.json();
    QCOMPARE(json[u"stopReason"].toString(), u"tool_use"_s);
    const QJsonArray content = json[u"output"][u"message"][u"content"].toArray();
    QCOMPARE(content.size(), 1);
    QCOMPARE(content[0][u"toolUse"][u"name"].toString(), u"get_weather"_s);
    QCOMPARE(content[0][u"toolUse"][u"input"].toObject(),
             (QJsonObject{{u"city"_s, u"sim"_s}, {u"days"_s, 1}, {u"metric"_s, true}}));
    // A forced tool wins over the first one.
    QByteArray forced = body;
    forced.insert(forced.lastIndexOf("]}}") + 1, R"(,"toolChoice":{"tool":{"name":"get_time"}})"_ba);
    const Response second = post("/model/"_ba + kModelInPath + "/converse"_ba, forced);
    QCOMPARE(second.json()[u"output"][u"message"][u"content"][0][u"toolUse"][u"name"].toString(), u"get_time"_s);
}

void TestBedrockSimulator::parallelToolsAndStreamedToolUse()
{
    const QByteArray body =
        R"({"messages":[{"role":"user","content":[{"text":"Both [sim:parallel-tools]"}]}],)"_ba + kToolConfig + "}";
    const Response response = post("/model/"_ba + kModelInPath + "/converse-stream"_ba, body);
    QCOMPARE(response.status, 200);
    QStringList starts;
    QHash<int, QString> inputs;
    QString stopReason;
    for (const EventStreamMessage &event : decodeAll(response.body)) {
        const QJsonObject payload = payloadOf(event);
        const QString type = event.headerString(u":event-type"_s);
        const int index = payload[u"contentBlockIndex"].toInt(-1);
        if (type == u"contentBlockStart")
            starts.append(payload[u"start"][u"toolUse"][u"name"].toString() + u'@' + QString::number(index));
        else if (type == u"contentBlockDelta")
            inputs[index] += payload[u"delta"][u"toolUse"][u"input"].toString();
        else if (type == u"messageStop")
            stopReason = payload[u"stopReason"].toString();
    }
    QCOMPARE(starts, (QStringList{u"get_weather@0"_s, u"get_time@1"_s}));
    QCOMPARE(QJsonDocument::fromJson(inputs[0].toUtf8()).object()[u"city"].toString(), u"sim"_s);
    QCOMPARE(QJsonDocument::fromJson(inputs[1].toUtf8()).object(), QJsonObject{});
    QCOMPARE(stopReason, u"tool_use"_s);
}

void TestBedrockSimulator::toolResultsAreCounted()
{
    const QByteArray body = R"({"messages":[{"role":"user","content":[{"text":"Weather?"}]},
        {"role":"assistant","content":[{"toolUse":{"toolUseId":"a","name":"get_weather","input":{}}},
                                       {"toolUse":{"toolUseId":"b","name":"get_weather","input":{}}}]},
        {"role":"user","content":[{"toolResult":{"toolUseId":"a","content":[{"text":"sunny"}]}},
                                  {"toolResult":{"toolUseId":"b","content":[{"json":{"t":1}}]}}]}],)"_ba
                            + kToolConfig + "}";
    const Response response = post("/model/"_ba + kModelInPath + "/converse"_ba, body);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json()[u"output"][u"message"][u"content"][0][u"text"].toString(),
             u"Tool results received: 2"_s);
    QCOMPARE(response.json()[u"stopReason"].toString(), u"end_turn"_s);
}

void TestBedrockSimulator::toolBlocksNeedToolConfig()
{
    const Response response = post("/model/"_ba + kModelInPath + "/converse"_ba, bodyOf(R"({"messages":[
        {"role":"user","content":[{"text":"Weather?"}]},
        {"role":"assistant","content":[{"toolUse":{"toolUseId":"a","name":"get_weather","input":{}}}]},
        {"role":"user","content":[{"toolResult":{"toolUseId":"a","content":[{"text":"sunny"}]}}]}]})"));
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorType(), u"ValidationException"_s);
    QCOMPARE(response.json()[u"message"].toString(),
             u"The toolConfig field must be defined when using toolUse and toolResult content blocks."_s);
}

void TestBedrockSimulator::thinkingReasoningAndReplayCheck()
{
    const QByteArray thinking = R"("additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}})"_ba;
    const Response first = post("/model/"_ba + kModelInPath + "/converse"_ba,
                                R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}],)"_ba + thinking + "}");
    QCOMPARE(first.status, 200);
    const QJsonArray content = first.json()[u"output"][u"message"][u"content"].toArray();
    QCOMPARE(content[0][u"reasoningContent"][u"reasoningText"][u"text"].toString(), u"Simulated reasoning."_s);
    QCOMPARE(content[0][u"reasoningContent"][u"reasoningText"][u"signature"].toString(), u"sim-signature-1"_s);
    QVERIFY(content[1][u"text"].isString());

    const QByteArray history = R"({"messages":[{"role":"user","content":[{"text":"Weather?"}]},
        {"role":"assistant","content":[%REASONING%{"toolUse":{"toolUseId":"a","name":"get_weather","input":{}}}]},
        {"role":"user","content":[{"toolResult":{"toolUseId":"a","content":[{"text":"sunny"}]}}]}],)"_ba
                               + kToolConfig + "," + thinking + "}";
    QByteArray without = history;
    without.replace("%REASONING%", "");
    const Response rejected = post("/model/"_ba + kModelInPath + "/converse"_ba, without);
    QCOMPARE(rejected.status, 400);
    QCOMPARE(rejected.errorType(), u"ValidationException"_s);
    QByteArray with = history;
    with.replace("%REASONING%", R"({"reasoningContent":{"reasoningText":{"text":"r","signature":"s"}}},)");
    const Response accepted = post("/model/"_ba + kModelInPath + "/converse-stream"_ba, with);
    QCOMPARE(accepted.status, 200);
    QString reasoning;
    QString signature;
    for (const EventStreamMessage &event : decodeAll(accepted.body)) {
        const QJsonObject delta = payloadOf(event)[u"delta"][u"reasoningContent"].toObject();
        reasoning += delta[u"text"].toString();
        signature += delta[u"signature"].toString();
    }
    QCOMPARE(reasoning, u"Simulated reasoning."_s);
    QCOMPARE(signature, u"sim-signature-3"_s);
}

void TestBedrockSimulator::cachePointsWriteThenRead()
{
    // A system prompt of its own: the simulator's cache is shared by the whole test process.
    const QByteArray body = R"({"system":[{"text":"cache test alpha beta gamma delta"},{"cachePoint":{"type":"default"}}],
        "messages":[{"role":"user","content":[{"text":"one two"}]}]})"_ba;
    const Response first = post("/model/"_ba + kModelInPath + "/converse"_ba, body);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.json()[u"usage"][u"cacheWriteInputTokens"].toInt(), 6);
    QCOMPARE(first.json()[u"usage"][u"cacheReadInputTokens"].toInt(), 0);
    QCOMPARE(first.json()[u"usage"][u"inputTokens"].toInt(), 2);
    const Response second = post("/model/"_ba + kModelInPath + "/converse"_ba, body);
    QCOMPARE(second.json()[u"usage"][u"cacheWriteInputTokens"].toInt(), 0);
    QCOMPARE(second.json()[u"usage"][u"cacheReadInputTokens"].toInt(), 6);
    QCOMPARE(second.json()[u"usage"][u"inputTokens"].toInt(), 2);
}

void TestBedrockSimulator::imagesAreEchoedAndGuardrail()
{
    const QByteArray png = QByteArray(123, 'x').toBase64();
    const QByteArray body = R"({"messages":[{"role":"user","content":[{"text":"Look"},{"image":{"format":"png","source":{"bytes":")"_ba
                            + png + R"("}}}]}],"guardrailConfig":{"guardrailIdentifier":"gr-1","guardrailVersion":"1"}})"_ba;
    const Response response = post("/model/"_ba + kModelInPath + "/converse"_ba, body);
    QCOMPARE(response.status, 200);
    QVERIFY2(response.json()[u"output"][u"message"][u"content"][0][u"text"].toString().endsWith(u"Look [image png 123 bytes]"_s),
             response.body.constData());
    QCOMPARE(response.json()[u"usage"][u"inputTokens"].toInt(), 5);
    QCOMPARE(response.json()[u"trace"][u"guardrail"][u"guardrailIdentifier"].toString(), u"gr-1"_s);

    const Response blocked =
        post("/model/"_ba + kModelInPath + "/converse"_ba, userMessages({u"bad [sim:guardrail]"_s}));
    QCOMPARE(blocked.json()[u"stopReason"].toString(), u"guardrail_intervened"_s);
}

QTEST_GUILESS_MAIN(TestBedrockSimulator)
#include "tst_simulator_converse.moc"
