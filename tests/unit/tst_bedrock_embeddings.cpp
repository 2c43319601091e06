// Tests for the embeddings translation: OpenAI's request checks, the InvokeModel body each model
// family takes and the answer it gives (shapes from the Bedrock user guide's parameter pages for
// Titan Text Embeddings and Cohere Embed), and OpenAI's base64 encoding (little-endian float32).
#include "providers/bedrock/openai/Embeddings.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

namespace {

QJsonObject json(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

EmbeddingsRequest request(const QByteArray &body)
{
    auto parsed = EmbeddingsRequest::parse(body);
    if (!parsed.ok())
        qFatal("%s", qPrintable(parsed.error()));
    return *parsed;
}

} // namespace

class TestBedrockEmbeddings : public QObject
{
    Q_OBJECT

private slots:
    void requestsTheApiDocuments()
    {
        const auto one = request(R"({"model":"m","input":"hello"})");
        QCOMPARE(one.inputs, QStringList{u"hello"_s});
        QVERIFY(!one.base64);
        const auto many = request(
            R"({"model":"m","input":["a","b"],"dimensions":256,"encoding_format":"base64","user":"u"})");
        QCOMPARE(many.inputs, (QStringList{u"a"_s, u"b"_s}));
        QCOMPARE(many.dimensions, 256);
        QVERIFY(many.base64);
        QCOMPARE(many.droppedParameters, QStringList{u"user"_s});
    }

    void badRequestsSayWhatIsWrong_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("no input") << QByteArray(R"({"model":"m"})") << u"input: required"_s;
        QTest::newRow("tokens") << QByteArray(R"({"input":[[1,2]]})") << u"token arrays"_s;
        QTest::newRow("empty list") << QByteArray(R"({"input":[]})") << u"must not be empty"_s;
        QTest::newRow("empty text") << QByteArray(R"({"input":["a",""]})") << u"input[1]"_s;
        QTest::newRow("dimensions") << QByteArray(R"({"input":"a","dimensions":1.5})")
                                    << u"positive integer"_s;
        QTest::newRow("format") << QByteArray(R"({"input":"a","encoding_format":"hex"})")
                                << u"encoding_format"_s;
        QTest::newRow("not json") << QByteArray("{") << u"invalid JSON"_s;
    }

    void badRequestsSayWhatIsWrong()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const auto parsed = EmbeddingsRequest::parse(body);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().contains(message), qPrintable(parsed.error()));
    }

    void familiesFromIdsProfilesAndArns()
    {
        QCOMPARE(EmbeddingModel::forModel(u"amazon.titan-embed-text-v2:0"_s)->family(),
                 EmbeddingModel::Family::TitanV2);
        QCOMPARE(EmbeddingModel::forModel(u"amazon.titan-embed-text-v1"_s)->family(),
                 EmbeddingModel::Family::TitanV1);
        QCOMPARE(EmbeddingModel::forModel(u"us.cohere.embed-v4:0"_s)->family(),
                 EmbeddingModel::Family::CohereV4);
        QCOMPARE(EmbeddingModel::forModel(
                     u"arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-multilingual-v3"_s)
                     ->family(),
                 EmbeddingModel::Family::CohereV3);
        QVERIFY(!EmbeddingModel::forModel(u"anthropic.claude-3-5-haiku-20241022-v1:0"_s));
    }

    void dimensionsEachModelGives()
    {
        const auto titan2 = *EmbeddingModel::forModel(u"amazon.titan-embed-text-v2:0"_s);
        QVERIFY(titan2.checkDimensions(512).ok());
        QVERIFY(titan2.checkDimensions(std::nullopt).ok());
        QVERIFY(!titan2.checkDimensions(1536).ok());
        QVERIFY(!EmbeddingModel::forModel(u"cohere.embed-english-v3"_s)->checkDimensions(512).ok());
        QVERIFY(EmbeddingModel::forModel(u"cohere.embed-v4:0"_s)->checkDimensions(1536).ok());
    }

    void titanTakesOneTextPerCall()
    {
        const auto model = *EmbeddingModel::forModel(u"amazon.titan-embed-text-v2:0"_s);
        QCOMPARE(model.batchSize(), 1);
        const auto body = json(model.invokeBody(request(R"({"input":["a","b"],"dimensions":256})"), 1, 1));
        QCOMPARE(body,
                 (QJsonObject{{u"inputText"_s, u"b"_s}, {u"dimensions"_s, 256}, {u"normalize"_s, true}}));
        const auto v1 = json(EmbeddingModel::forModel(u"amazon.titan-embed-text-v1"_s)
                                 ->invokeBody(request(R"({"input":"a"})"), 0, 1));
        QCOMPARE(v1, (QJsonObject{{u"inputText"_s, u"a"_s}}));
        const auto answer = model.readAnswer(R"({"embedding":[0.5,-0.25],"inputTextTokenCount":3})", -1);
        QVERIFY(answer.ok());
        QCOMPARE(answer->vectors, (QList<QList<double>>{{0.5, -0.25}}));
        QCOMPARE(answer->inputTokens, 3);
    }

    void cohereTakesBatchesOf96()
    {
        const auto v3 = *EmbeddingModel::forModel(u"cohere.embed-english-v3"_s);
        QCOMPARE(v3.batchSize(), 96);
        const auto body = json(v3.invokeBody(request(R"({"input":["a","b","c"]})"), 1, 2));
        QCOMPARE(body.value(u"texts"_s).toArray(), (QJsonArray{u"b"_s, u"c"_s}));
        QCOMPARE(body.value(u"input_type"_s).toString(), u"search_document"_s);
        QVERIFY(!body.contains(u"embedding_types"_s));
        const auto answer =
            v3.readAnswer(R"({"embeddings":[[1,0],[0,1]],"response_type":"embeddings_floats"})", 7);
        QCOMPARE(answer->vectors.size(), 2);
        QCOMPARE(answer->inputTokens, 7); // Cohere's count comes in the header

        const auto v4 = *EmbeddingModel::forModel(u"cohere.embed-v4:0"_s);
        const auto body4 = json(v4.invokeBody(request(R"({"input":["a"],"dimensions":256})"), 0, 1));
        QCOMPARE(body4.value(u"embedding_types"_s).toArray(), QJsonArray{u"float"_s});
        QCOMPARE(body4.value(u"output_dimension"_s).toInt(), 256);
        const auto answer4 =
            v4.readAnswer(R"({"embeddings":{"float":[[0.25]]},"response_type":"embeddings_by_type"})", -1);
        QCOMPARE(answer4->vectors, (QList<QList<double>>{{0.25}}));
        QCOMPARE(answer4->inputTokens, 0);
        QVERIFY(!v4.readAnswer(R"({"message":"oops"})", -1).ok());
    }

    void base64IsLittleEndianFloat32()
    {
        const auto body = json(embeddingsResponse(u"m"_s, {{1.0, -2.5}}, true, 4));
        const QByteArray bytes = QByteArray::fromBase64(
            body.value(u"data"_s).toArray().first().toObject().value(u"embedding"_s).toString().toLatin1());
        QCOMPARE(bytes.size(), 8);
        QCOMPARE(qFromLittleEndian<float>(bytes.constData()), 1.0f);
        QCOMPARE(qFromLittleEndian<float>(bytes.constData() + 4), -2.5f);
        QCOMPARE(body.value(u"usage"_s).toObject().value(u"prompt_tokens"_s).toInt(), 4);
        QCOMPARE(body.value(u"object"_s).toString(), u"list"_s);
    }
};

QUARRY_TEST_GUILESS_MAIN(TestBedrockEmbeddings)
#include "tst_bedrock_embeddings.moc"
