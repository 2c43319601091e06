// What the native Bedrock APIs behind a route share (runtime passthrough, control-plane reads):
// errors in Bedrock's own shape, which the AWS SDKs parse ({"message"} + x-amzn-ErrorType), and
// Bedrock's own response headers passed on to the client.
#pragma once

#include "gateway/ClientExchange.h"

namespace quarry::gateway {

class NativeExchange : public ClientExchange
{
    Q_OBJECT
protected:
    explicit NativeExchange(Context context) : ClientExchange(std::move(context)) {}

    // Fails in Bedrock's shape when the route's backend is missing or has no usable credentials.
    bool backendReady();
    void failNative(const bedrock::ApiError &error);
    QByteArray errorBody(const bedrock::ApiError &error) const override;

    // Bedrock's response headers: kept when they arrive, the x-amzn-* ones passed on.
    void keepUpstreamHeaders(const QList<QPair<QByteArray, QByteArray>> &headers)
    {
        m_upstreamHeaders = headers;
    }
    void forwardResponseHeaders();
    QByteArray upstreamHeader(QByteArrayView name, const QByteArray &fallback = {}) const;

private:
    QList<QPair<QByteArray, QByteArray>> m_upstreamHeaders; // of the provider that answered
};

} // namespace quarry::gateway
