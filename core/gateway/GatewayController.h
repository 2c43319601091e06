// The gateway as the desktop app holds it: GatewayService on its own thread, driven and watched
// from the GUI thread through queued calls and signals carrying values only.
#pragma once

#include "gateway/BackendStatus.h"
#include "gateway/GatewayService.h"
#include "telemetry/TrafficRecord.h"

#include <QMutex>
#include <QObject>
#include <QThread>

namespace quarry::gateway {

class GatewayController : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Starting, Running, Failed };
    Q_ENUM(State)
    using KeychainState = gateway::KeychainState;

    // `options.configDir` must be set. The secret store is the OS keychain, created on the
    // gateway's thread.
    explicit GatewayController(GatewayOptions options, QObject *parent = nullptr);
    ~GatewayController() override; // stops the gateway and joins its thread

    void start();
    void stop();
    // Reads the keychain again (after the user unlocked it).
    void retryKeychain();
    // The browser origins the window allows (Settings); the listener restarts to take them.
    void setAllowedOrigins(const QList<QByteArray> &origins);
    // The key the window's own clients (console, Test) present, accepted besides the client keys.
    // Random per process and never stored, so the window keeps working when keys are required.
    QByteArray sessionKey() const { return m_options.sessionKey; }

    State state() const;
    QString address() const;    // "127.0.0.1:8080" once running
    QString lastError() const;  // why it failed, when state() == Failed
    bool simulating() const;    // some backend is answered by the built-in simulator
    // Why the last listener change (a new port in the Gateway resource) failed while the old
    // listener kept serving; empty when it did not.
    QString listenerProblem() const;
    KeychainState keychainState() const;
    QString keychainProblem() const; // empty unless keychainState() is Waiting or Unavailable
    // The routes and backends being served (with credential sources and problems). Thread-safe.
    std::shared_ptr<const GatewaySnapshot> snapshot() const;
    // The backends being served as the window shows them, by "namespace/name": sources and problems,
    // no credentials. Pages use this rather than snapshot()->backends. Thread-safe.
    QHash<QString, BackendStatus> backendStatuses() const;
    // Today's and this month's spend (thread-safe); kept across a stop and start of the gateway.
    std::shared_ptr<telemetry::SpendTracker> spending() const { return m_options.spending; }

Q_SIGNALS:
    void stateChanged(quarry::gateway::GatewayController::State state);
    void notice(const QString &message);
    void trafficRecorded(const quarry::telemetry::TrafficRecord &record);
    void budgetAlert(const quarry::telemetry::BudgetAlert &alert);
    void snapshotChanged();
    void keychainStateChanged();

private:
    void setState(State state, const QString &address, const QString &error, const QString &listenerProblem = {});
    void startOnGatewayThread();
    void stopOnGatewayThread();

    GatewayOptions m_options;
    QThread m_thread;
    QObject *m_threadContext = nullptr;     // lives on m_thread; parent of the service
    GatewayService *m_service = nullptr;    // touched only on m_thread
    std::shared_ptr<const SnapshotSource> m_snapshots = std::make_shared<SnapshotSource>();

    mutable QMutex m_mutex; // guards the fields below, written from the gateway thread
    State m_state = State::Stopped;
    QString m_address;
    QString m_lastError;
    QString m_listenerProblem;
    KeychainState m_keychainState = KeychainState::Waiting;
    QString m_keychainProblem;
};

} // namespace quarry::gateway
