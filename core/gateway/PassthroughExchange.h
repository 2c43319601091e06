// Native Bedrock Runtime calls (/model/{id}/converse, invoke, ... as the AWS SDKs send them)
// forwarded to the backend's Bedrock and re-signed with the backend's credentials.
#pragma once

#include "gateway/NativeExchange.h"
#include "providers/bedrock/converse/NativeUsage.h"

#include <optional>

namespace quarry::gateway {

class PassthroughExchange : public NativeExchange
{
    Q_OBJECT
public:
    explicit PassthroughExchange(Context context) : NativeExchange(std::move(context)) {}

    void begin() override;

private:
    void onStreamStarted();
    void onStreamMessage(const bedrock::EventStreamMessage &message);
    void onFinished(int status, const QByteArray &body, const QByteArray &errorType,
                    const std::optional<bedrock::ApiError> &failure);
    void finishStream(const std::optional<bedrock::ApiError> &failure);
    void recordUsage(const bedrock::NativeUsage &usage);
    // The backend's promptGuard over InvokeModel's per-model body, and over a whole answer:
    // masked in place, or the refusal to send.
    std::optional<bedrock::ApiError> guardInvokeBody(QByteArray &body) const;
    std::optional<bedrock::ApiError> guardAnswer(QByteArray &body) const;

    QByteArray m_operation; // "converse", "invoke-with-response-stream", ...
    bedrock::NativeUsage m_streamUsage;
};

} // namespace quarry::gateway
