// Bedrock exception names -> OpenAI error status/type/code, keeping Bedrock's message.
#include "providers/bedrock/converse/BedrockErrorMapper.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

struct ExceptionKind
{
    QLatin1StringView name;
    int status;
    QLatin1StringView type;
};

// Statuses are those Bedrock Runtime documents for each exception.
constexpr ExceptionKind kExceptionKinds[] = {
    {"ThrottlingException"_L1, 429, "rate_limit_error"_L1},
    {"ServiceQuotaExceededException"_L1, 429, "rate_limit_error"_L1},
    {"ModelNotReadyException"_L1, 429, "rate_limit_error"_L1},
    {"AccessDeniedException"_L1, 403, "permission_error"_L1},
    {"UnrecognizedClientException"_L1, 403, "permission_error"_L1},
    {"InvalidSignatureException"_L1, 403, "permission_error"_L1},
    {"ExpiredTokenException"_L1, 403, "permission_error"_L1},
    {"MissingAuthenticationTokenException"_L1, 403, "permission_error"_L1},
    {"ValidationException"_L1, 400, "invalid_request_error"_L1},
    {"ResourceNotFoundException"_L1, 404, "not_found_error"_L1},
    {"ModelTimeoutException"_L1, 408, "api_error"_L1},
    {"ModelErrorException"_L1, 424, "api_error"_L1},
    {"ModelStreamErrorException"_L1, 424, "api_error"_L1},
    {"InternalServerException"_L1, 500, "api_error"_L1},
    {"ServiceUnavailableException"_L1, 503, "api_error"_L1},
};

const ExceptionKind *findKind(const QString &name)
{
    for (const ExceptionKind &kind : kExceptionKinds) {
        if (name == kind.name)
            return &kind;
    }
    return nullptr;
}

// "ServiceQuotaExceededException" -> "service_quota_exceeded".
QString codeFor(QString name)
{
    if (name.endsWith("Exception"_L1))
        name.chop(9);
    QString code;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (c.isUpper() && i > 0)
            code.append(u'_');
        code.append(c.toLower());
    }
    return code;
}

// "ThrottlingException:http://internal..." or "com.amazon.coral.service#ThrottlingException".
QString exceptionName(const QByteArray &raw)
{
    QByteArray name = raw.trimmed();
    const qsizetype colon = name.indexOf(':');
    if (colon >= 0)
        name.truncate(colon);
    const qsizetype hash = name.lastIndexOf('#');
    if (hash >= 0)
        name = name.mid(hash + 1);
    return QString::fromUtf8(name);
}

QJsonObject jsonObject(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

QString bodyMessage(const QJsonObject &body)
{
    for (const QLatin1StringView key : {"message"_L1, "Message"_L1}) {
        if (body.value(key).isString())
            return body.value(key).toString();
    }
    return {};
}

ApiError fromName(const QString &name, int status, const QString &message)
{
    const ExceptionKind *kind = findKind(name);
    ApiError error;
    error.status = status > 0 ? status : (kind ? kind->status : 500);
    error.type = kind ? QString(kind->type) : u"api_error"_s;
    error.code = name.isEmpty() ? u"upstream_error"_s : codeFor(name);
    error.message = message;
    if (error.message.isEmpty()) {
        error.message = name.isEmpty() ? u"Bedrock returned HTTP "_s % QString::number(error.status)
                                       : u"Bedrock returned "_s % name;
    }
    return error;
}

} // namespace

ApiError mapBedrockError(int httpStatus, const QByteArray &errorTypeHeader, const QByteArray &body)
{
    const QJsonObject object = jsonObject(body);
    QString name = exceptionName(errorTypeHeader);
    if (name.isEmpty())
        name = exceptionName(object.value("__type"_L1).toString().toUtf8());
    // A non-error status would mislead the client; fall back to the exception's own status.
    const int status = httpStatus >= 400 && httpStatus <= 599 ? httpStatus : 0;
    return fromName(name, status, bodyMessage(object));
}

ApiError mapStreamException(const QString &exceptionType, const QByteArray &payload)
{
    // Stream exception types are lowerCamel ("throttlingException"); the table is PascalCase.
    QString name = exceptionType.trimmed();
    if (!name.isEmpty())
        name[0] = name.at(0).toUpper();
    return fromName(name, 0, bodyMessage(jsonObject(payload)));
}

} // namespace quarry::bedrock
