// count_tokens: which models Bedrock counts for, and the bodies both ways.
#include "providers/bedrock/anthropic/AnthropicCountTokens.h"

#include "TestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestAnthropicCountTokens : public QObject
{
    Q_OBJECT

private slots:
    void supportedModels_data();
    void supportedModels();
    void unsupportedModels_data();
    void unsupportedModels();
    void requestBody();
    void responseBody();
};

void TestAnthropicCountTokens::supportedModels_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("bedrockId");
    const QString sonnet4 = u"anthropic.claude-sonnet-4-20250514-v1:0"_s;
    QTest::newRow("foundation id") << sonnet4 << sonnet4;
    QTest::newRow("us profile") << u"us."_s + sonnet4 << sonnet4;
    QTest::newRow("global profile") << u"global."_s + sonnet4 << sonnet4;
    QTest::newRow("apac profile") << u"apac.anthropic.claude-3-5-sonnet-20241022-v2:0"_s
                                  << u"anthropic.claude-3-5-sonnet-20241022-v2:0"_s;
    QTest::newRow("us-gov profile") << u"us-gov.anthropic.claude-3-7-sonnet-20250219-v1:0"_s
                                    << u"anthropic.claude-3-7-sonnet-20250219-v1:0"_s;
    QTest::newRow("foundation ARN") << u"arn:aws:bedrock:us-east-1::foundation-model/"_s + sonnet4 << sonnet4;
    QTest::newRow("profile ARN") << u"arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu."_s +
                                        sonnet4
                                 << sonnet4;
    QTest::newRow("haiku 3.5") << u"anthropic.claude-3-5-haiku-20241022-v1:0"_s
                               << u"anthropic.claude-3-5-haiku-20241022-v1:0"_s;
}

void TestAnthropicCountTokens::supportedModels()
{
    QFETCH(QString, model);
    QFETCH(QString, bedrockId);
    const auto id = AnthropicCountTokens::bedrockModelId(model);
    QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error()));
    QCOMPARE(id.value(), bedrockId);
}

void TestAnthropicCountTokens::unsupportedModels_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("empty") << QString() << u"model: required"_s;
    QTest::newRow("titan") << u"amazon.titan-text-lite-v1"_s << u"does not support count_tokens"_s;
    QTest::newRow("nova profile") << u"us.amazon.nova-pro-v1:0"_s << u"does not support count_tokens"_s;
    QTest::newRow("llama") << u"meta.llama3-70b-instruct-v1:0"_s << u"does not support count_tokens"_s;
    QTest::newRow("claude v2") << u"anthropic.claude-v2:1"_s << u"does not support count_tokens"_s;
    QTest::newRow("claude 3 haiku") << u"anthropic.claude-3-haiku-20240307-v1:0"_s
                                    << u"does not support count_tokens"_s;
    QTest::newRow("application profile")
        << u"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"_s
        << u"application inference profile"_s;
}

void TestAnthropicCountTokens::unsupportedModels()
{
    QFETCH(QString, model);
    QFETCH(QString, errorContains);
    const auto id = AnthropicCountTokens::bedrockModelId(model);
    QVERIFY(!id.ok());
    QVERIFY2(id.error().contains(errorContains), qPrintable(id.error()));
    QVERIFY(id.error().startsWith("model:"_L1));
}

void TestAnthropicCountTokens::requestBody()
{
    const QJsonObject fixture =
        QJsonDocument::fromJson(quarry::test::readData(u"anthropic/count-tokens/with-tools.json"_s)).object();
    const QByteArray body = QJsonDocument(fixture["request"_L1].toObject()).toJson(QJsonDocument::Compact);
    const auto request = parseAnthropicRequest(body, AnthropicEndpoint::CountTokens);
    QVERIFY2(request.ok(), qPrintable(request.ok() ? QString() : request.error()));
    const QJsonDocument actual = QJsonDocument::fromJson(AnthropicCountTokens::requestBody(request.value()));
    if (actual.object() != fixture["bedrock"_L1].toObject())
        qWarning("actual: %s", actual.toJson(QJsonDocument::Compact).constData());
    QCOMPARE(actual.object(), fixture["bedrock"_L1].toObject());
}

void TestAnthropicCountTokens::responseBody()
{
    const auto body = AnthropicCountTokens::responseBody(R"({"inputTokens":1234})"_ba);
    QVERIFY(body.ok());
    QCOMPARE(QJsonDocument::fromJson(body.value()).object(), (QJsonObject{{u"input_tokens"_s, 1234}}));
    QVERIFY(!AnthropicCountTokens::responseBody(R"({"input_tokens":1})"_ba).ok());
    QVERIFY(!AnthropicCountTokens::responseBody("garbage"_ba).ok());
}

QTEST_GUILESS_MAIN(TestAnthropicCountTokens)
#include "tst_bedrock_anthropic_counttokens.moc"
