// What every client API's exchange shares: the client's side of one request (responses, streams
// with backpressure, disconnects), its traffic record, and the Bedrock call behind it.
#pragma once

#include "gateway/BackendTarget.h"
#include "gateway/ExchangeReaper.h"
#include "providers/bedrock/converse/ApiError.h"
#include "gateway/GatewaySnapshot.h"
#include "gateway/UpstreamCall.h"
#include "http/HttpRequest.h"
#include "http/ResponseWriter.h"
#include "telemetry/TrafficRecord.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>


namespace quarry::gateway {

class ClientExchange : public QObject
{
    Q_OBJECT
public:
    using Finished = std::function<void(telemetry::TrafficRecord &&)>; // the record is handed over

    struct Context
    {
        http::HttpRequest request;
        std::shared_ptr<http::ResponseWriter> writer;
        // The snapshot the request is served with, held to its end: its prices price the answer
        // (answerCostUsd()), its refreshCredentials renews credentials Bedrock calls expired.
        std::shared_ptr<const GatewaySnapshot> snapshot;
        // The backend, in `snapshot` (or noBackend()); never null. Not copied: a copy would take a
        // reference on each of the snapshot's strings, cache lines both workers write.
        const BackendTarget *target = nullptr;
        telemetry::TrafficRecord record;
        Finished finished;
        // The worker's: deletes the exchange once it is done (deleteLater() without one).
        QPointer<ExchangeReaper> reaper = {};
    };

    // Starts the exchange; it deletes itself once the client has its answer (or is gone).
    virtual void begin() = 0;

protected:
    // The client API's error body for a gateway error (OpenAI's shape unless overridden).
    virtual QByteArray errorBody(const bedrock::ApiError &error) const { return error.toOpenAiJson(); }
    // Bedrock's error answer relayed in the client API's shape (OpenAI's unless overridden), with
    // Bedrock's status.
    virtual void respondWithBedrockError(int status, const QByteArray &body, const QByteArray &errorType);

    explicit ClientExchange(Context context);

    // Bedrock, through the backend's endpoint and credentials. One call at a time. When the
    // provider answers 429/5xx or cannot be reached before streaming began, the backend's next
    // provider (spec.ai.groups) gets the request, built again for it by `build`.
    using RequestBuilder = std::function<UpstreamRequest(const BackendTarget &provider)>;
    void callBedrock(RequestBuilder build, UpstreamCall::Handlers handlers);
    void callBedrock(const UpstreamRequest &request, UpstreamCall::Handlers handlers);

    void respond(int status, const QByteArray &contentType, const QByteArray &body);
    void fail(const bedrock::ApiError &error);
    void startClientStream(const QByteArray &contentType);
    void writeClientStream(const QByteArray &bytes);
    void endClientStream();
    bool clientStreamStarted() const { return m_clientStreamStarted; }
    // Response headers every answer carries (x-quarry-request-id, ...); add before responding.
    void addResponseHeader(const QByteArray &name, const QByteArray &value);

    // What the answer's tokens cost at the prices of the snapshot the request started with, worked
    // out once and kept in the record: x-quarry-cost-usd, history and the budgets show the same
    // figure even when pricing.json changes while Bedrock answers. None without usage or a price
    // for the model. Call it once the tokens are final; complete() calls it for every record.
    std::optional<double> answerCostUsd();

    void markFirstToken();
    void complete();

    const http::HttpRequest &request() const { return m_request; }
    // The provider being called (the backend's first, or the one failed over to).
    const BackendTarget &target() const { return *m_current; }
    telemetry::TrafficRecord &record() { return m_record; }

private:
    void startAttempt(const BackendTarget &provider);
    void renewCredentialsAndRetry(int status, const QByteArray &body, const QByteArray &errorType);
    void onClientGone();
    void onClientDrained();

    http::HttpRequest m_request;
    std::shared_ptr<http::ResponseWriter> m_writer;
    std::shared_ptr<const GatewaySnapshot> m_snapshot;
    const BackendTarget &m_target; // in m_snapshot
    telemetry::TrafficRecord m_record;
    Finished m_finished;
    QPointer<ExchangeReaper> m_reaper;
    bool m_refreshedCredentials = false;
    http::HttpHeaders m_responseHeaders;
    // The provider being called: m_target, one of its fallbacks or m_renewed.
    const BackendTarget *m_current = &m_target;
    std::optional<BackendTarget> m_renewed; // the provider called again with renewed credentials
    RequestBuilder m_build;
    UpstreamCall::Handlers m_handlers;
    size_t m_nextFallback = 0;
    bool m_upstreamStreaming = false;
    UpstreamCall *m_call = nullptr;
    QElapsedTimer m_clock;
    QTimer *m_renewalDeadline = nullptr; // a renewal that never answers still ends the request
    bool m_clientStreamStarted = false;
    bool m_completed = false;
    bool m_priced = false;
};

} // namespace quarry::gateway
