// Bedrock-shaped errors and header forwarding for the native APIs.
#include "gateway/NativeExchange.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

bool forwardedResponseHeader(const QByteArray &lowercaseName)
{
    return lowercaseName == "x-amzn-requestid" || lowercaseName == "x-amzn-errortype" ||
           lowercaseName.startsWith("x-amzn-bedrock-");
}

} // namespace

bool NativeExchange::backendReady()
{
    if (target().name.isEmpty()) {
        failNative({500, u"api_error"_s, u"backend_not_found"_s,
                    u"Route %1 sends requests to backend %2, which does not exist. Create it with quarry "
                    "apply -f, or fix the route's backendRefs."_s.arg(record().route, record().backend)});
        return false;
    }
    if (!target().credentials.usable()) {
        failNative(target().credentials.clientError());
        return false;
    }
    return true;
}

void NativeExchange::failNative(const bedrock::ApiError &error)
{
    addResponseHeader("x-amzn-ErrorType", error.bedrockExceptionName());
    fail(error);
}

QByteArray NativeExchange::errorBody(const bedrock::ApiError &error) const
{
    return error.toBedrockJson();
}

void NativeExchange::forwardResponseHeaders()
{
    for (const auto &[name, value] : m_upstreamHeaders) {
        if (forwardedResponseHeader(name.toLower()))
            addResponseHeader(name, value);
    }
}

QByteArray NativeExchange::upstreamHeader(QByteArrayView name, const QByteArray &fallback) const
{
    for (const auto &[key, value] : m_upstreamHeaders) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return fallback;
}

} // namespace quarry::gateway
