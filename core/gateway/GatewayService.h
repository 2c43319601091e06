// The running gateway: config and secrets in, a listener out. Used by `quarry serve` and, later,
// by the desktop app, which runs it off the GUI thread.
#pragma once

#include "gateway/CredentialResolver.h"
#include "gateway/CredentialSources.h"
#include "gateway/GatewayRequestHandler.h"
#include "gateway/GatewaySnapshot.h"
#include "telemetry/TrafficSink.h"

#include <QHostAddress>
#include <QObject>
#include <QProcessEnvironment>

#include <memory>
#include <optional>

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

namespace quarry::gateway {

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
    bool listen = true; // false: only resolve config and credentials (quarry auth check)
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
};

class GatewayService : public QObject
{
    Q_OBJECT
public:
    GatewayService(GatewayOptions options, secrets::SecretStore &secretStore, QObject *parent = nullptr);
    ~GatewayService() override;

    // Loads the config and the secrets it references, then listens. Emits started() or startFailed().
    void start();
    void stop();

    telemetry::TrafficSink *traffic() const { return m_traffic; }
    bool simulating() const { return m_simulator != nullptr; }
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

private:
    // Reads secrets and the AWS credential chains again and publishes a new snapshot; `after`
    // runs once it is published.
    void reload(std::function<void()> after = {});
    void scheduleRefresh(const ChainResults &chains);
    void publish(const config::ResourceSet &resources, const CredentialInputs &inputs);
    BackendTarget targetFor(const config::AiBackend &backend, const CredentialInputs &inputs) const;
    BackendTarget targetFor(const config::AiBackend &backend, const config::AiProvider &provider,
                            const CredentialInputs &inputs) const;
    // From any thread: fresh credentials for a backend whose call Bedrock refused as expired.
    void refreshCredentials(const QString &backend, QObject *context, std::function<void(BedrockCredentials)> done);
    void listenAfterFirstLoad();
    bool startSimulator(const QString &reason);
    void watchSecretCatalog();

    GatewayOptions m_options;
    std::unique_ptr<config::ConfigStore> m_config;
    std::shared_ptr<SnapshotSource> m_snapshots = std::make_shared<SnapshotSource>();
    telemetry::TrafficSink *m_traffic = nullptr;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<bedrock::BedrockSimulator> m_simulator;
    QFileSystemWatcher *m_catalogWatcher = nullptr;
    quint64 m_reloadGeneration = 0;
    CredentialSources *m_credentialSources = nullptr;
    QTimer *m_refreshTimer = nullptr; // renews temporary credentials minutes before they expire
    bool m_listening = false;
};

} // namespace quarry::gateway
