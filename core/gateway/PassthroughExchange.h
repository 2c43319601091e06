// Native Bedrock Runtime calls (/model/{id}/converse, invoke, ... as the AWS SDKs send them)
// forwarded to the backend's Bedrock and re-signed with the backend's credentials.
#pragma once

#include "gateway/ClientExchange.h"
#include "providers/bedrock/NativeUsage.h"

#include <optional>

namespace quarry::gateway {

class PassthroughExchange : public ClientExchange
{
    Q_OBJECT
public:
    explicit PassthroughExchange(Context context) : ClientExchange(std::move(context)) {}

    void begin() override;

private:
    void onStreamStarted();
    void onStreamMessage(const bedrock::EventStreamMessage &message);
    void onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                    const std::optional<GatewayError> &failure);
    void finishStream(const std::optional<GatewayError> &failure);
    // A gateway error in Bedrock's own shape ({"message"} + x-amzn-ErrorType): this is the native API.
    void failNative(const GatewayError &error);
    void forwardResponseHeaders();
    void recordUsage(const bedrock::NativeUsage &usage);

    // Bedrock's answer in its own shape: {"message"} (x-amzn-ErrorType is added by failNative).
    QByteArray errorBody(const GatewayError &error) const override;

    QList<QPair<QByteArray, QByteArray>> m_upstreamHeaders; // of the provider that answered
    QByteArray m_operation;                                 // "converse", "invoke-with-response-stream", ...
    bedrock::NativeUsage m_streamUsage;
};

} // namespace quarry::gateway
