// Bedrock error responses and stream exceptions -> OpenAI-shaped client errors.
#include "providers/bedrock/converse/BedrockErrorMapper.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestBedrockErrors : public QObject
{
    Q_OBJECT

private slots:
    void httpErrors_data();
    void httpErrors();
    void streamExceptions_data();
    void streamExceptions();
    void openAiShape();
    void ownErrorInEveryShape();
};

namespace {
const QByteArray kTypeSuffix = ":http://internal.amazon.com/coral/com.amazon.bedrock/"_ba;
}

void TestBedrockErrors::httpErrors_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");

    const auto row = [](const char *exception, int status, const char *type, const char *code) {
        const QByteArray message = "Bedrock says: "_ba + exception;
        QTest::newRow(exception) << status << (QByteArray(exception) + kTypeSuffix)
                                 << (R"({"message":")"_ba + message + R"("})"_ba) << status
                                 << QString::fromLatin1(type) << QString::fromLatin1(code)
                                 << QString::fromLatin1(message);
    };
    row("ThrottlingException", 429, "rate_limit_error", "throttling");
    row("ServiceQuotaExceededException", 429, "rate_limit_error", "service_quota_exceeded");
    row("AccessDeniedException", 403, "permission_error", "access_denied");
    row("UnrecognizedClientException", 403, "permission_error", "unrecognized_client");
    row("InvalidSignatureException", 403, "permission_error", "invalid_signature");
    row("ExpiredTokenException", 403, "permission_error", "expired_token");
    row("MissingAuthenticationTokenException", 403, "permission_error", "missing_authentication_token");
    row("ValidationException", 400, "invalid_request_error", "validation");
    row("ResourceNotFoundException", 404, "not_found_error", "resource_not_found");
    row("ModelTimeoutException", 408, "api_error", "model_timeout");
    row("ModelNotReadyException", 429, "rate_limit_error", "model_not_ready");
    row("ServiceUnavailableException", 503, "api_error", "service_unavailable");
    row("InternalServerException", 500, "api_error", "internal_server");
    row("ModelErrorException", 424, "api_error", "model_error");

    QTest::newRow("capital Message, no header")
        << 403 << QByteArray()
        << R"({"__type":"AccessDeniedException","Message":"No access to this model."})"_ba << 403
        << u"permission_error"_s << u"access_denied"_s << u"No access to this model."_s;
    QTest::newRow("namespaced __type")
        << 400 << QByteArray()
        << R"({"__type":"com.amazon.coral.validate#ValidationException","message":"Malformed input request"})"_ba
        << 400 << u"invalid_request_error"_s << u"validation"_s << u"Malformed input request"_s;
    QTest::newRow("unknown exception keeps status")
        << 418 << "BrandNewException:http://x"_ba
        << R"({"message":"new"})"_ba << 418 << u"api_error"_s << u"brand_new"_s << u"new"_s;
    QTest::newRow("not json, no type")
        << 502 << QByteArray() << "<html>Bad Gateway</html>"_ba << 502 << u"api_error"_s
        << u"upstream_error"_s << u"Bedrock returned HTTP 502"_s;
    QTest::newRow("bogus status uses exception's")
        << 200 << "ThrottlingException"_ba
        << "{}"_ba << 429 << u"rate_limit_error"_s << u"throttling"_s
        << u"Bedrock returned ThrottlingException"_s;
}

void TestBedrockErrors::httpErrors()
{
    QFETCH(int, httpStatus);
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, body);
    const ApiError error = mapBedrockError(httpStatus, header, body);
    QTEST(error.status, "status");
    QTEST(error.type, "type");
    QTEST(error.code, "code");
    QTEST(error.message, "message");
}

void TestBedrockErrors::streamExceptions_data()
{
    QTest::addColumn<QString>("exception");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    QTest::newRow("throttling") << u"throttlingException"_s << 429 << u"rate_limit_error"_s
                                << u"throttling"_s;
    QTest::newRow("validation") << u"validationException"_s << 400 << u"invalid_request_error"_s
                                << u"validation"_s;
    QTest::newRow("model stream error")
        << u"modelStreamErrorException"_s << 424 << u"api_error"_s << u"model_stream_error"_s;
    QTest::newRow("internal") << u"internalServerException"_s << 500 << u"api_error"_s
                              << u"internal_server"_s;
    QTest::newRow("unavailable") << u"serviceUnavailableException"_s << 503 << u"api_error"_s
                                 << u"service_unavailable"_s;
}

void TestBedrockErrors::streamExceptions()
{
    QFETCH(QString, exception);
    const ApiError error = mapStreamException(exception, R"({"message":"stream broke"})"_ba);
    QTEST(error.status, "status");
    QTEST(error.type, "type");
    QTEST(error.code, "code");
    QCOMPARE(error.message, u"stream broke"_s);
}

void TestBedrockErrors::openAiShape()
{
    const ApiError error = mapBedrockError(429, "ThrottlingException"_ba, R"({"message":"slow down"})"_ba);
    const QJsonDocument document = QJsonDocument::fromJson(error.toOpenAiJson());
    const QJsonObject inner = document["error"_L1].toObject();
    QCOMPARE(inner["message"_L1].toString(), u"slow down"_s);
    QCOMPARE(inner["type"_L1].toString(), u"rate_limit_error"_s);
    QCOMPARE(inner["code"_L1].toString(), u"throttling"_s);
    QVERIFY(inner["param"_L1].isNull());
    QCOMPARE(document.object().keys(), QStringList{u"error"_s});
}

// Quarry's own refusal reaches each client in its API's shape, with the same status and message.
void TestBedrockErrors::ownErrorInEveryShape()
{
    const ApiError error = ApiError::badRequest(u"invalid_request"_s, u"messages: required"_s);
    QCOMPARE(error.status, 400);
    const QJsonObject openAi = QJsonDocument::fromJson(error.toOpenAiJson())["error"_L1].toObject();
    QCOMPARE(openAi["type"_L1].toString(), u"invalid_request_error"_s);
    QCOMPARE(openAi["code"_L1].toString(), u"invalid_request"_s);
    QCOMPARE(openAi["message"_L1].toString(), u"messages: required"_s);
    QCOMPARE(QJsonDocument::fromJson(error.toAnthropicJson())["error"_L1]["message"_L1].toString(),
             u"messages: required"_s);
    // An AWS SDK reads the exception from x-amzn-ErrorType and the text from "message".
    QCOMPARE(error.bedrockExceptionName(), "ValidationException"_ba);
    QCOMPARE(QJsonDocument::fromJson(error.toBedrockJson()).object(),
             (QJsonObject{{u"message"_s, u"messages: required"_s}}));
    QCOMPARE((ApiError{429, {}, {}, {}}.bedrockExceptionName()), "ThrottlingException"_ba);
    QCOMPARE((ApiError{503, {}, {}, {}}.bedrockExceptionName()), "ServiceUnavailableException"_ba);
}

QTEST_GUILESS_MAIN(TestBedrockErrors)
#include "tst_bedrock_errors.moc"
