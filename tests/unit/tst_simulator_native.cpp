// The simulator's native endpoints over real HTTP: InvokeModel (Anthropic and Titan bodies),
// InvokeModelWithResponseStream chunks, CountTokens, and the control plane's model lists.
#include "aws/SigV4Signer.h"
#include "simulator/BedrockSimulator.h"
#include "providers/bedrock/eventstream/EventStreamDecoder.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::bedrock;

namespace {

const QString kAccessKey = u"AKIDNATIVESIMULATOR1"_s;
const QString kSecretKey = u"native/simulator/secret/key/0123456789"_s;
const QString kClaude = u"anthropic.claude-3-5-haiku-20241022-v1:0"_s;
const QByteArray kClaudeInPath = "anthropic.claude-3-5-haiku-20241022-v1%3A0"_ba;

struct Response
{
    int status = 0;
    QByteArray body;
    QMap<QByteArray, QByteArray> headers; // lowercase names
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QByteArray errorType() const { return headers.value("x-amzn-errortype").split(':').first(); }
};

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray anthropicBody(const QString &userText, int maxTokens = 200)
{
    return compact(
        {{u"anthropic_version"_s, u"bedrock-2023-05-31"_s},
         {u"max_tokens"_s, maxTokens},
         {u"system"_s, u"Be brief."_s},
         {u"messages"_s,
          QJsonArray{QJsonObject{
              {u"role"_s, u"user"_s},
              {u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, userText}}}}}}}});
}

// The model events inside each `chunk` frame of an invoke-with-response-stream body.
QList<QJsonObject> chunksOf(const QByteArray &body, QStringList *otherFrames = nullptr)
{
    EventStreamDecoder decoder;
    decoder.feed(body);
    QList<QJsonObject> out;
    while (auto next = decoder.next()) {
        if (!next->ok())
            return {};
        const EventStreamMessage &message = next->value();
        if (message.headerString(u":event-type"_s) != u"chunk"_s) {
            if (otherFrames)
                otherFrames->append(message.headerString(u":exception-type"_s));
            continue;
        }
        const QByteArray bytes = QJsonDocument::fromJson(message.payload)[u"bytes"].toString().toLatin1();
        out.append(QJsonDocument::fromJson(QByteArray::fromBase64(bytes)).object());
    }
    return out;
}

} // namespace

class TestSimulatorNative : public QObject
{
    Q_OBJECT

private:
    // A SigV4-signed request (service "bedrock"); `target` is the encoded path with any query.
    Response send(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                  bool sign = true);

    BedrockSimulator *m_simulator = nullptr;
    QNetworkAccessManager *m_network = nullptr;

private slots:
    void initTestCase();
    void cleanupTestCase();
    void invokeAnthropicAnswersAMessage();
    void invokeTitanAnswersResults();
    void invokeRefusesAnthropicBodyWithoutVersion();
    void invokeStreamSendsAnthropicChunks();
    void invokeStreamExceptionMarker();
    void invokeStreamTitanChunks();
    void countTokensBothInputForms();
    void countTokensRefusesOtherModels();
    void foundationModelsNeedASignature();
    void inferenceProfilesArePaginated();
    void faultMarkersApplyToInvoke();
};

void TestSimulatorNative::initTestCase()
{
    m_simulator = new BedrockSimulator(this);
    m_simulator->addIdentity(kAccessKey, kSecretKey);
    const Status listening = m_simulator->listen();
    QVERIFY(listening.ok());
    m_network = new QNetworkAccessManager(this);
}

void TestSimulatorNative::cleanupTestCase()
{
    delete m_network;
    delete m_simulator;
}

Response TestSimulatorNative::send(const QByteArray &method, const QByteArray &target, const QByteArray &body,
                                   bool sign)
{
    const QByteArray host = "127.0.0.1:"_ba + QByteArray::number(m_simulator->port());
    QNetworkRequest request(QUrl::fromEncoded("http://"_ba + host + target, QUrl::StrictMode));
    const bool post = method == "POST";
    if (post)
        request.setRawHeader("Content-Type"_ba, "application/json"_ba);
    if (sign) {
        const qsizetype question = target.indexOf('?');
        aws::SignableRequest signable{method,
                                      question < 0 ? target : target.left(question),
                                      question < 0 ? QByteArray() : target.mid(question + 1),
                                      {{"host"_ba, host}},
                                      body};
        if (post)
            signable.headers.append({"content-type"_ba, "application/json"_ba});
        const aws::SigV4Signer signer(u"us-east-1"_s, u"bedrock"_s);
        for (const auto &[name, value] :
             signer.sign(signable, {kAccessKey, kSecretKey, {}}, QDateTime::currentDateTimeUtc()))
            request.setRawHeader(name, value);
    }
    QNetworkReply *reply = post ? m_network->post(request, body) : m_network->get(request);
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

void TestSimulatorNative::invokeAnthropicAnswersAMessage()
{
    const Response response = send("POST", "/model/"_ba + kClaudeInPath + "/invoke"_ba,
                                   anthropicBody(u"Describe a granite quarry"_s));
    QCOMPARE(response.status, 200);
    const QJsonObject json = response.json();
    QCOMPARE(json[u"type"].toString(), u"message"_s);
    QCOMPARE(json[u"role"].toString(), u"assistant"_s);
    QCOMPARE(json[u"content"][0][u"type"].toString(), u"text"_s);
    QCOMPARE(json[u"content"][0][u"text"].toString(),
             u"Simulated reply from "_s + kClaude + u": Describe a granite quarry"_s);
    QCOMPARE(json[u"stop_reason"].toString(), u"end_turn"_s);
    // "Be brief." 2 words + 4 words of the message; the reply is 4 + 4 words.
    QCOMPARE(json[u"usage"][u"input_tokens"].toInt(), 6);
    QCOMPARE(json[u"usage"][u"output_tokens"].toInt(), 8);
    QCOMPARE(response.headers.value("x-amzn-bedrock-input-token-count"), "6"_ba);
    QCOMPARE(response.headers.value("x-amzn-bedrock-output-token-count"), "8"_ba);
    QVERIFY(!response.headers.value("x-amzn-requestid").isEmpty());

    const Response cut = send("POST", "/model/"_ba + kClaudeInPath + "/invoke"_ba,
                              anthropicBody(u"Describe a granite quarry"_s, 3));
    QCOMPARE(cut.json()[u"stop_reason"].toString(), u"max_tokens"_s);
    QCOMPARE(cut.json()[u"content"][0][u"text"].toString(), u"Simulated reply from"_s);
}

void TestSimulatorNative::invokeTitanAnswersResults()
{
    const QByteArray body = compact({{u"inputText"_s, u"Name three rocks"_s},
                                     {u"textGenerationConfig"_s, QJsonObject{{u"maxTokenCount"_s, 100}}}});
    const Response response = send("POST", "/model/amazon.titan-text-lite-v1/invoke"_ba, body);
    QCOMPARE(response.status, 200);
    const QJsonObject json = response.json();
    QCOMPARE(json[u"inputTextTokenCount"].toInt(), 3);
    const QJsonObject result = json[u"results"][0].toObject();
    QCOMPARE(result[u"outputText"].toString(),
             u"Simulated reply from amazon.titan-text-lite-v1: Name three rocks"_s);
    QCOMPARE(result[u"tokenCount"].toInt(), 7);
    QCOMPARE(result[u"completionReason"].toString(), u"FINISH"_s);
}

void TestSimulatorNative::invokeRefusesAnthropicBodyWithoutVersion()
{
    const QByteArray body =
        compact({{u"max_tokens"_s, 10},
                 {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}}}});
    const Response response = send("POST", "/model/"_ba + kClaudeInPath + "/invoke"_ba, body);
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorType(), "ValidationException"_ba);
    QVERIFY(response.json()[u"message"].toString().contains(u"anthropic_version"_s));
}

void TestSimulatorNative::invokeStreamSendsAnthropicChunks()
{
    const Response response = send("POST", "/model/"_ba + kClaudeInPath + "/invoke-with-response-stream"_ba,
                                   anthropicBody(u"three little words"_s));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("content-type"), "application/vnd.amazon.eventstream"_ba);
    const QList<QJsonObject> chunks = chunksOf(response.body);
    QStringList types;
    QString text;
    for (const QJsonObject &chunk : chunks) {
        types.append(chunk[u"type"].toString());
        if (chunk[u"type"].toString() == u"content_block_delta"_s) {
            QCOMPARE(chunk[u"delta"][u"type"].toString(), u"text_delta"_s);
            text += chunk[u"delta"][u"text"].toString();
        }
    }
    const QString expected = u"Simulated reply from "_s + kClaude + u": three little words"_s;
    QCOMPARE(text, expected);
    // One delta per word: 4 + 3.
    const QStringList expectedTypes =
        QStringList{u"message_start"_s, u"content_block_start"_s} + QStringList(7, u"content_block_delta"_s) +
        QStringList{u"content_block_stop"_s, u"message_delta"_s, u"message_stop"_s};
    QCOMPARE(types, expectedTypes);
    QCOMPARE(chunks.first()[u"message"][u"usage"][u"input_tokens"].toInt(), 5);
    QCOMPARE(chunks.at(chunks.size() - 2)[u"usage"][u"output_tokens"].toInt(), 7);
    const QJsonObject metrics = chunks.last()[u"amazon-bedrock-invocationMetrics"].toObject();
    QCOMPARE(metrics[u"inputTokenCount"].toInt(), 5);
    QCOMPARE(metrics[u"outputTokenCount"].toInt(), 7);
}

void TestSimulatorNative::invokeStreamExceptionMarker()
{
    QStringList others;
    const Response response = send("POST", "/model/"_ba + kClaudeInPath + "/invoke-with-response-stream"_ba,
                                   anthropicBody(u"fail please [sim:stream-exception]"_s));
    QCOMPARE(response.status, 200);
    QCOMPARE(chunksOf(response.body, &others).size(), 3);
    QCOMPARE(others, QStringList{u"throttlingException"_s});
}

void TestSimulatorNative::invokeStreamTitanChunks()
{
    const Response response = send("POST", "/model/amazon.titan-text-lite-v1/invoke-with-response-stream"_ba,
                                   compact({{u"inputText"_s, u"two words"_s}}));
    QCOMPARE(response.status, 200);
    const QList<QJsonObject> chunks = chunksOf(response.body);
    QString text;
    for (const QJsonObject &chunk : chunks)
        text += chunk[u"outputText"].toString();
    QCOMPARE(text, u"Simulated reply from amazon.titan-text-lite-v1: two words"_s);
    QCOMPARE(chunks.last()[u"completionReason"].toString(), u"FINISH"_s);
    QCOMPARE(chunks.last()[u"totalOutputTextTokenCount"].toInt(), 6);
    QCOMPARE(chunks.last()[u"amazon-bedrock-invocationMetrics"][u"inputTokenCount"].toInt(), 2);
}

void TestSimulatorNative::countTokensBothInputForms()
{
    const QJsonObject converse{
        {u"messages"_s,
         QJsonArray{QJsonObject{{u"role"_s, u"user"_s},
                                {u"content"_s, QJsonArray{QJsonObject{{u"text"_s, u"one two three"_s}}}}}}},
        {u"system"_s, QJsonArray{QJsonObject{{u"text"_s, u"four five"_s}}}}};
    const Response viaConverse = send("POST", "/model/"_ba + kClaudeInPath + "/count-tokens"_ba,
                                      compact({{u"input"_s, QJsonObject{{u"converse"_s, converse}}}}));
    QCOMPARE(viaConverse.status, 200);
    QCOMPARE(viaConverse.json()[u"inputTokens"].toInt(), 5);

    const QString invokeBody = QString::fromUtf8(anthropicBody(u"a b c d"_s)); // + "Be brief."
    const Response viaInvoke =
        send("POST", "/model/"_ba + kClaudeInPath + "/count-tokens"_ba,
             compact({{u"input"_s, QJsonObject{{u"invokeModel"_s, QJsonObject{{u"body"_s, invokeBody}}}}}}));
    QCOMPARE(viaInvoke.status, 200);
    QCOMPARE(viaInvoke.json()[u"inputTokens"].toInt(), 6);
}

void TestSimulatorNative::countTokensRefusesOtherModels()
{
    const Response response = send(
        "POST", "/model/amazon.titan-text-lite-v1/count-tokens"_ba,
        compact({{u"input"_s,
                  QJsonObject{{u"invokeModel"_s, QJsonObject{{u"body"_s, u"{\"inputText\":\"x\"}"_s}}}}}}));
    QCOMPARE(response.status, 400);
    QCOMPARE(response.errorType(), "ValidationException"_ba);
    QCOMPARE(response.json()[u"message"].toString(),
             u"The provided model doesn't support counting tokens."_s);
}

void TestSimulatorNative::foundationModelsNeedASignature()
{
    QCOMPARE(send("GET", "/foundation-models"_ba, {}, false).status, 403);
    const Response response = send("GET", "/foundation-models"_ba);
    QCOMPARE(response.status, 200);
    QStringList ids;
    for (const QJsonValue &summary : response.json()[u"modelSummaries"].toArray()) {
        ids.append(summary[u"modelId"].toString());
        QVERIFY(!summary[u"providerName"].toString().isEmpty());
    }
    QVERIFY(ids.contains(kClaude));
    QVERIFY(ids.contains(u"amazon.titan-text-lite-v1"_s));
}

void TestSimulatorNative::inferenceProfilesArePaginated()
{
    QStringList ids;
    QByteArray target = "/inference-profiles"_ba;
    int pages = 0;
    while (pages < 10) {
        const Response response = send("GET", target);
        QCOMPARE(response.status, 200);
        ++pages;
        for (const QJsonValue &summary : response.json()[u"inferenceProfileSummaries"].toArray())
            ids.append(summary[u"inferenceProfileId"].toString());
        const QString token = response.json()[u"nextToken"].toString();
        if (token.isEmpty())
            break;
        target = "/inference-profiles?nextToken="_ba + QUrl::toPercentEncoding(token);
    }
    QCOMPARE(pages, 2);
    QCOMPARE(ids.size(), 3);
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 3);
    QVERIFY(ids.contains(u"us.anthropic.claude-3-5-haiku-20241022-v1:0"_s));

    const Response all = send("GET", "/inference-profiles?maxResults=10"_ba);
    QCOMPARE(all.json()[u"inferenceProfileSummaries"].toArray().size(), 3);
    QVERIFY(!all.json().contains(u"nextToken"_s));
    QCOMPARE(send("GET", "/inference-profiles?nextToken=garbage"_ba).status, 400);
}

void TestSimulatorNative::faultMarkersApplyToInvoke()
{
    const Response throttled =
        send("POST", "/model/"_ba + kClaudeInPath + "/invoke"_ba, anthropicBody(u"hello [sim:throttle]"_s));
    QCOMPARE(throttled.status, 429);
    QCOMPARE(throttled.errorType(), "ThrottlingException"_ba);
    QCOMPARE(send("POST", "/model/x/unknown-op"_ba, "{}"_ba).status, 404);
}

QTEST_GUILESS_MAIN(TestSimulatorNative)
#include "tst_simulator_native.moc"
