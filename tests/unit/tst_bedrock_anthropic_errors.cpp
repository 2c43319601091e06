// Anthropic error shapes: HTTP status -> error type, Bedrock errors -> Anthropic error bodies.
#include "providers/bedrock/converse/BedrockErrorMapper.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestAnthropicErrors : public QObject
{
    Q_OBJECT

private slots:
    void typeForStatus_data();
    void typeForStatus();
    void bodyShape();
    void sseShape();
    void bedrockErrors_data();
    void bedrockErrors();
};

void TestAnthropicErrors::typeForStatus_data()
{
    // The table of https://docs.anthropic.com/en/api/errors, plus Bedrock's 503 as "overloaded".
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::newRow("400") << 400 << u"invalid_request_error"_s;
    QTest::newRow("401") << 401 << u"authentication_error"_s;
    QTest::newRow("403") << 403 << u"permission_error"_s;
    QTest::newRow("404") << 404 << u"not_found_error"_s;
    QTest::newRow("413") << 413 << u"request_too_large"_s;
    QTest::newRow("429") << 429 << u"rate_limit_error"_s;
    QTest::newRow("500") << 500 << u"api_error"_s;
    QTest::newRow("529") << 529 << u"overloaded_error"_s;
    QTest::newRow("503") << 503 << u"overloaded_error"_s;
    QTest::newRow("424 model error") << 424 << u"api_error"_s;
    QTest::newRow("502") << 502 << u"api_error"_s;
}

void TestAnthropicErrors::typeForStatus()
{
    QFETCH(int, status);
    QFETCH(QString, type);
    QCOMPARE((ApiError{status, {}, {}, {}}.anthropicType()), type);
}

void TestAnthropicErrors::bodyShape()
{
    const ApiError error = ApiError::badRequest(u"invalid_request"_s, u"max_tokens: required"_s);
    QCOMPARE(error.status, 400);
    const QJsonObject body = QJsonDocument::fromJson(error.toAnthropicJson()).object();
    QCOMPARE(body, (QJsonObject{{u"type"_s, u"error"_s},
                                {u"error"_s, QJsonObject{{u"type"_s, u"invalid_request_error"_s},
                                                         {u"message"_s, u"max_tokens: required"_s}}}}));
}

void TestAnthropicErrors::sseShape()
{
    const ApiError error{529, u"api_error"_s, u"overloaded"_s, u"Overloaded"_s};
    const QByteArray sse = error.toAnthropicSse();
    QVERIFY(sse.startsWith("event: error\ndata: {"));
    QVERIFY(sse.endsWith("}\n\n"));
    QCOMPARE(sse.count('\n'), 3);
    const QByteArray data = sse.mid(sse.indexOf("data: ") + 6).trimmed();
    QCOMPARE(QJsonDocument::fromJson(data)["error"_L1]["type"_L1].toString(), u"overloaded_error"_s);
}

void TestAnthropicErrors::bedrockErrors_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("message");
    QTest::newRow("throttling") << 429 << "ThrottlingException:http://internal.amazon.com/coral/"_ba
                                << R"({"message":"Too many requests"})"_ba << 429 << u"rate_limit_error"_s
                                << u"Too many requests"_s;
    QTest::newRow("access denied") << 403 << "AccessDeniedException"_ba
                                   << R"({"Message":"You don't have access"})"_ba << 403
                                   << u"permission_error"_s << u"You don't have access"_s;
    QTest::newRow("validation") << 400 << QByteArray()
                                << R"({"__type":"ValidationException","message":"bad"})"_ba << 400
                                << u"invalid_request_error"_s << u"bad"_s;
    QTest::newRow("not found") << 404 << "ResourceNotFoundException"_ba
                               << R"({"message":"no model"})"_ba << 404 << u"not_found_error"_s
                               << u"no model"_s;
    QTest::newRow("unavailable") << 503 << "ServiceUnavailableException"_ba
                                 << R"({"message":"busy"})"_ba << 503 << u"overloaded_error"_s << u"busy"_s;
    QTest::newRow("internal") << 500 << "InternalServerException"_ba
                              << "{}"_ba << 500 << u"api_error"_s
                              << u"Bedrock returned InternalServerException"_s;
}

void TestAnthropicErrors::bedrockErrors()
{
    QFETCH(int, httpStatus);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QString, message);
    const ApiError error = mapBedrockError(httpStatus, header, body);
    QCOMPARE(error.status, status);
    QCOMPARE(error.anthropicType(), type);
    QCOMPARE(error.message, message);
}

QTEST_GUILESS_MAIN(TestAnthropicErrors)
#include "tst_bedrock_anthropic_errors.moc"
