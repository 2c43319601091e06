// The configuration a request is served with: routes plus resolved backends, immutable once
// published. Workers take a shared_ptr to the current one per request, so a config change never
// disturbs a request in flight.
#pragma once

#include "config/Resources.h"
#include "gateway/BackendTarget.h"
#include "telemetry/Budget.h"
#include "telemetry/PriceTable.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <functional>
#include <memory>

namespace quarry::gateway {

struct GatewaySnapshot
{
    QString gatewayName = QStringLiteral("agentgateway");
    config::ResourceSet resources;
    QHash<QString, BackendTarget> backends; // by "namespace/name"
    // The same backends pointed at the built-in simulator, for requests that ask for it
    // (GatewayOptions::simulateOnRequest); empty when that is off.
    QHash<QString, BackendTarget> simulatedBackends;
    // Prices of the records (shipped table with the user's pricing.json); never null.
    std::shared_ptr<const telemetry::PriceTable> prices = std::make_shared<telemetry::PriceTable>();
    QList<telemetry::Budget> budgets; // the Gateway's total and the backends' own, from annotations
    // Thread-safe: asks for fresh credentials of a backend's provider (Bedrock said ExpiredToken);
    // `done` runs on `context`'s thread. Empty in tests that build snapshots by hand.
    std::function<void(const QString &backend, const QString &provider, QObject *context,
                       std::function<void(BedrockCredentials)> done)>
        refreshCredentials;
};

// Thread-safe holder of the current snapshot.
class SnapshotSource
{
public:
    std::shared_ptr<const GatewaySnapshot> current() const
    {
        QMutexLocker lock(&m_mutex);
        return m_current;
    }
    void publish(std::shared_ptr<const GatewaySnapshot> snapshot)
    {
        QMutexLocker lock(&m_mutex);
        m_current = std::move(snapshot);
    }

private:
    mutable QMutex m_mutex;
    std::shared_ptr<const GatewaySnapshot> m_current = std::make_shared<GatewaySnapshot>();
};

} // namespace quarry::gateway
