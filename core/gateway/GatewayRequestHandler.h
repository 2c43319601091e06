// The gateway's request handler, one per worker thread: routes a request and starts the exchange
// for its route type. Upstream calls use the worker thread's own keep-alive pool
// (upstream::ConnectionPool).
#pragma once

#include "gateway/ClientExchange.h"
#include "gateway/ExchangeReaper.h"
#include "gateway/GatewaySnapshot.h"
#include "http/RequestHandler.h"
#include "secrets/ClientKeyCheck.h"
#include "telemetry/SpendTracker.h"
#include "telemetry/GatewayMetrics.h"
#include "telemetry/TrafficSink.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace quarry::gateway {

class GatewayRequestHandler : public http::RequestHandler
{
public:
    // `clientKeys` null: no client-key check (tests that build a handler by hand). `spending` null:
    // records are priced but no budget is kept. `metrics` null: /metrics is routed like any other path.
    GatewayRequestHandler(std::shared_ptr<const SnapshotSource> snapshots, QPointer<telemetry::TrafficSink> sink,
                          std::shared_ptr<const secrets::ClientKeySource> clientKeys = {},
                          std::shared_ptr<telemetry::SpendTracker> spending = {},
                          std::shared_ptr<const telemetry::GatewayMetrics> metrics = {});

    void handle(http::HttpRequest request, std::shared_ptr<http::ResponseWriter> writer) override;

    // Request ids (x-quarry-request-id, history's ID) go on after `last` if they are not past it yet:
    // a restarted gateway does not hand out again the ids already in history.
    static void continueRequestIdsAfter(quint64 last);

private:
    // Routes and starts the exchange; may run again a moment later for the same request and record.
    void dispatch(http::HttpRequest request, std::shared_ptr<http::ResponseWriter> writer,
                  telemetry::TrafficRecord record);
    // An exchange's start: what it is given (the snapshot, which prices its answer and renews
    // credentials, and the backend in it), and what this handler lends every exchange (reporting,
    // the worker's reaper).
    ClientExchange::Context exchangeContext(http::HttpRequest request,
                                            std::shared_ptr<http::ResponseWriter> writer,
                                            const BackendTarget *target, telemetry::TrafficRecord record,
                                            std::shared_ptr<const GatewaySnapshot> snapshot);
    // 401 in the client API's shape.
    void refuseClientKey(const http::HttpRequest &request, std::shared_ptr<http::ResponseWriter> writer,
                         telemetry::TrafficRecord record, secrets::ClientKeyCheck::Outcome outcome) const;
    // Prices the record, counts it against the budgets and publishes it (with any budget warning):
    // the one place every record passes, so the log, the window and history see the same cost.
    void report(telemetry::TrafficRecord &&record) const;

    std::shared_ptr<const SnapshotSource> m_snapshots;
    std::shared_ptr<const secrets::ClientKeySource> m_clientKeys;
    std::shared_ptr<telemetry::SpendTracker> m_spending;
    std::shared_ptr<const telemetry::GatewayMetrics> m_metrics;
    QPointer<telemetry::TrafficSink> m_sink;
    QObject m_timerContext; // the re-dispatch timers: they die with the handler
    ExchangeReaper m_reaper; // finished exchanges of this worker
};

} // namespace quarry::gateway
