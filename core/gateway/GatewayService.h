// The running gateway: config and secrets in, a listener out. Used by `quarry serve` and, later,
// by the desktop app, which runs it off the GUI thread.
#pragma once

#include "gateway/CredentialResolver.h"
#include "gateway/CredentialSources.h"
#include "gateway/GatewayRequestHandler.h"
#include "gateway/GatewaySnapshot.h"
#include "secrets/ClientKeyCheck.h"
#include "telemetry/SpendTracker.h"
#include "telemetry/GatewayMetrics.h"
#include "telemetry/TrafficSink.h"

#include <QHostAddress>
#include <QObject>
#include <QProcessEnvironment>
#include <QSet>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

class QFileSystemWatcher;
class QTimer;

namespace quarry::config {
class ConfigStore;
}
namespace quarry::http {
class HttpServer;
}
namespace quarry::secrets {
class SecretStore;
}
namespace quarry::bedrock {
class BedrockSimulator;
}
namespace quarry::telemetry {
class HistoryReader;
}

namespace quarry::gateway {

// Whether the keychain has answered the gateway's reads (shown in the window with a Retry).
enum class KeychainState {
    Waiting,     // asked, no answer yet
    Ready,       // answered (or no backend needs it)
    Unavailable, // no answer in time, locked, denied, or no keychain at all
};

struct GatewayOptions
{
    enum class Simulation {
        Off,      // call Amazon Bedrock
        On,       // every backend talks to the built-in simulator
        IfNeeded, // the simulator when no backend has usable credentials
    };

    QString configDir;
    std::optional<QHostAddress> listenAddress; // --listen overrides the Gateway resource
    std::optional<quint16> listenPort;
    Simulation simulation = Simulation::Off;
    // Honour `x-quarry-simulate: true` from loopback clients: that request is answered by the
    // built-in simulator even when its backend would call Bedrock (the window's console offers it,
    // so a user with keys can still try things offline). The simulator then runs from the start.
    bool simulateOnRequest = false;
    bool listen = true; // false: only resolve config and credentials (quarry auth check)
    // Browser origins the listener lets in (besides $QUARRY_ALLOWED_ORIGINS): the window's setting.
    QList<QByteArray> allowedOrigins;
    // Accepted besides the client keys in <configDir>/client-keys.json: the window's own clients
    // (console, Test) present it. Lives only in this process's memory; empty for `quarry serve`.
    QByteArray sessionKey;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Today's and this month's spend; outlives a stop and start of the gateway (the window's
    // controller holds it).
    std::shared_ptr<telemetry::SpendTracker> spending = std::make_shared<telemetry::SpendTracker>();
    // history.sqlite: at the first start its priced requests of this month seed `spending`, so
    // budgets count what was spent before a restart. Empty: budgets count from the start.
    QString historyPath;
};

class GatewayService : public QObject
{
    Q_OBJECT
public:
    GatewayService(GatewayOptions options, secrets::SecretStore &secretStore, QObject *parent = nullptr);
    ~GatewayService() override;

    // Loads the config and listens at once; the secrets and credential chains are read meanwhile
    // (their backends answer 503 until they have). Emits started() or startFailed().
    void start();
    void stop();
    // Reads the keychain (and the credential chains) again, e.g. after the user unlocked it.
    void retryKeychain();
    KeychainState keychainState() const { return m_keychainState; }
    // Replaces the window's allowed origins; the listener restarts to take them.
    void setAllowedOrigins(const QList<QByteArray> &origins);

    telemetry::TrafficSink *traffic() const { return m_traffic; }
    std::shared_ptr<telemetry::SpendTracker> spending() const { return m_options.spending; }
    // Some backend is answered by the built-in simulator.
    bool simulating() const { return !m_simulatedBackends.isEmpty(); }
    std::shared_ptr<const GatewaySnapshot> snapshot() const { return m_snapshots->current(); }
    // For readers on other threads: the holder is thread-safe and outlives nothing it points to.
    std::shared_ptr<const SnapshotSource> snapshotSource() const { return m_snapshots; }

Q_SIGNALS:
    void started(const QString &address);
    void startFailed(const QString &message);
    // Things worth a line in the log: config reloaded or rejected, the simulator in use, ...
    void notice(const QString &message);
    // A new snapshot (config or credentials changed) is being served.
    void published();
    // The Gateway resource's listener changed: now serving on `address`, or, when `problem` is set,
    // the new one could not be bound and the old one (`address`) still serves.
    void listenerChanged(const QString &address, const QString &problem);
    void keychainStateChanged(quarry::gateway::KeychainState state, const QString &problem);

private:
    // Reads secrets and the AWS credential chains again and publishes a new snapshot; `after`
    // runs once the complete answer is published (every caller's, when reloads overlap).
    void reload(std::function<void()> after = {});
    void scheduleRefresh(const ChainResults &chains);
    void publish(const config::ResourceSet &resources, const CredentialInputs &inputs);
    void updateKeychainState(const config::ResourceSet &resources, const CredentialInputs &inputs);
    BackendTarget targetFor(const config::AiBackend &backend, const config::ResourceSet &resources,
                            const CredentialInputs &inputs);
    BackendTarget targetFor(const config::AiBackend &backend, const config::AiProvider &provider,
                            const config::ResourceSet &resources, const CredentialInputs &inputs);
    bool simulates(const BedrockCredentials &credentials) const;
    void continueFromHistory();
    void seedSpendingFromHistory(telemetry::HistoryReader &reader);
    void warnOfUnverifiedTls(const BackendTarget &target, QSet<QString> &unverified);
    void pointAtSimulator(BackendTarget &target);
    // From any thread: fresh credentials for a backend's provider whose call Bedrock refused as expired.
    void refreshCredentials(const QString &backend, const QString &provider, QObject *context,
                            std::function<void(BedrockCredentials)> done);
    // Listens where the Gateway resource (or --listen) says; on a change binds the new address
    // first and only then retires the old listener.
    void followListener();
    bool startSimulator();
    void watchSecretCatalog();
    // Reads client-keys.json again and publishes the check the listener applies; false when the
    // file cannot be read (then every request is refused rather than let through).
    bool loadClientKeys();
    // Reads the shipped price table and the user's pricing.json (a bad file: one notice).
    void loadPrices();
    // Reads pricing.json again when it changes, and serves its prices from the next request on.
    void watchPrices();
    QList<telemetry::Budget> budgetsOf(const config::ResourceSet &resources, const QString &gatewayName) const;

    GatewayOptions m_options;
    std::unique_ptr<config::ConfigStore> m_config;
    std::shared_ptr<SnapshotSource> m_snapshots = std::make_shared<SnapshotSource>();
    std::shared_ptr<secrets::ClientKeySource> m_clientKeys = std::make_shared<secrets::ClientKeySource>();
    int m_clientKeyCount = 0;
    std::shared_ptr<const telemetry::PriceTable> m_prices = std::make_shared<telemetry::PriceTable>();
    QString m_pricesWarning; // said once per distinct problem
    bool m_restarting = false; // setAllowedOrigins() is replacing the listener on its own address
    telemetry::TrafficSink *m_traffic = nullptr;
    // Fed by every record m_traffic publishes, on the worker's thread; kept across listener changes.
    std::shared_ptr<telemetry::GatewayMetrics> m_metrics = std::make_shared<telemetry::GatewayMetrics>();
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<http::HttpServer> m_retiringServer; // the previous listener, finishing its requests
    QHostAddress m_listenAddress;                       // what m_server was asked to bind
    quint16 m_listenPort = 0;
    std::optional<std::pair<QHostAddress, quint16>> m_failedListen; // the last bind that failed
    std::unique_ptr<bedrock::BedrockSimulator> m_simulator;
    QSet<QString> m_simulatedBackends; // to say once when a backend moves to or from the simulator
    QSet<QString> m_unverifiedBackends; // to warn once of a backend whose TLS skips verification
    // The config directory, and the files in it other processes or hand edits change: the secrets
    // catalog, client-keys.json (both by rename: the directory), pricing.json.
    QFileSystemWatcher *m_configDirWatcher = nullptr;
    quint64 m_reloadGeneration = 0;
    CredentialSources *m_credentialSources = nullptr;
    QTimer *m_refreshTimer = nullptr; // renews temporary credentials minutes before they expire
    std::vector<std::function<void()>> m_afterReload;
    bool m_publishedComplete = false; // a snapshot with every credential source's answer is out
    KeychainState m_keychainState = KeychainState::Waiting;
    QString m_keychainProblem;
};

} // namespace quarry::gateway
