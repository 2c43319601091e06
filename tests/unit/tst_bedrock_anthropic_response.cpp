// Converse responses -> Anthropic message JSON, against hand-written fixture pairs.
#include "providers/bedrock/anthropic/AnthropicResponseBuilder.h"

#include "TestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestAnthropicResponse : public QObject
{
    Q_OBJECT

private slots:
    void fixturePairs_data();
    void fixturePairs();
    void resultFields();
    void idPrefixNotDoubled();
    void rejectsNonConverseBodies();
};

namespace {

QJsonObject fixture(const QString &name)
{
    return QJsonDocument::fromJson(quarry::test::readData(u"anthropic/responses/"_s % name % u".json"_s))
        .object();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

void TestAnthropicResponse::fixturePairs_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name :
         {"text-end-turn", "tool-use-thinking", "stop-sequence", "guardrail", "max-tokens"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestAnthropicResponse::fixturePairs()
{
    QFETCH(QString, name);
    const QJsonObject data = fixture(name);
    const AnthropicResponseBuilder builder(u"test-1"_s, u"test-model"_s,
                                           ToolNameMapper({u"get.weather"_s}));
    const auto result = builder.build(compact(data["converse"_L1].toObject()));
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
    const QJsonDocument actual = QJsonDocument::fromJson(result->json);
    const QJsonDocument wanted(data["anthropic"_L1].toObject());
    if (actual != wanted)
        qWarning("actual: %s", actual.toJson(QJsonDocument::Compact).constData());
    QCOMPARE(actual, wanted);
}

void TestAnthropicResponse::resultFields()
{
    const AnthropicResponseBuilder builder(u"x"_s, u"m"_s);
    const auto result = builder.build(compact(fixture(u"tool-use-thinking"_s)["converse"_L1].toObject()));
    QVERIFY(result.ok());
    QCOMPARE(result->text, u"Let me check."_s);
    QCOMPARE(result->bedrockStopReason, u"tool_use"_s);
    QCOMPARE(result->stopReason, u"tool_use"_s);
    QCOMPARE(result->usage.input, 30);
    QCOMPARE(result->usage.cacheRead, 150);
    QCOMPARE(result->usage.cacheWrite, 50);
    // Without a name map the Bedrock name is passed through.
    QVERIFY(result->json.contains("\"name\":\"get_weather_f65d4328\""));
}

void TestAnthropicResponse::idPrefixNotDoubled()
{
    const AnthropicResponseBuilder builder(u"msg_abc"_s, u"m"_s);
    const auto result = builder.build(compact(fixture(u"max-tokens"_s)["converse"_L1].toObject()));
    QVERIFY(result.ok());
    QCOMPARE(QJsonDocument::fromJson(result->json)["id"_L1].toString(), u"msg_abc"_s);
}

void TestAnthropicResponse::rejectsNonConverseBodies()
{
    const AnthropicResponseBuilder builder(u"x"_s, u"m"_s);
    QVERIFY(!builder.build("not json"_ba).ok());
    QVERIFY(!builder.build(R"({"output":{}})"_ba).ok());
    QVERIFY(!builder.build(R"({"output":{"message":{"content":[]}}})"_ba).ok()); // no stopReason
}

QTEST_GUILESS_MAIN(TestAnthropicResponse)
#include "tst_bedrock_anthropic_response.moc"
