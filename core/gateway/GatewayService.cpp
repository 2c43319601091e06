// The gateway's lifecycle: load, resolve credentials, listen, and follow config changes.
#include "gateway/GatewayService.h"

#include "config/ConfigStore.h"
#include "http/HttpServer.h"
#include "providers/bedrock/BedrockSimulator.h"
#include "secrets/SecretStore.h"

#include <QDir>
#include <QFileSystemWatcher>
#include <QPointer>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

// The identity the simulator issues when the user has no credentials of their own. Not a secret:
// it only opens the simulator, never AWS.
const QString SimulatorAccessKey = u"AKIAQUARRYSIMULATOR0"_s;
const QString SimulatorSecretKey = u"quarry-simulator-secret-access-key"_s;

constexpr int DefaultRequestTimeoutMs = 10 * 60 * 1000;

bool isLoopbackHost(const QString &host)
{
    const QHostAddress address(host);
    return host == u"localhost"_s || (!address.isNull() && address.isLoopback());
}

QString secretsCatalogPath(const QString &configDir)
{
    return QDir(configDir).filePath(u"secrets.json"_s);
}

} // namespace

GatewayService::GatewayService(GatewayOptions options, secrets::SecretStore &secretStore, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_traffic(new telemetry::TrafficSink(this)),
      m_credentialSources(new CredentialSources(secretStore, m_options.environment, this)),
      m_refreshTimer(new QTimer(this))
{
    m_refreshTimer->setSingleShot(true);
    connect(m_refreshTimer, &QTimer::timeout, this, [this] {
        Q_EMIT notice(u"renewing temporary AWS credentials before they expire"_s);
        reload();
    });
}

GatewayService::~GatewayService()
{
    stop();
}

void GatewayService::start()
{
    m_config = std::make_unique<config::ConfigStore>(m_options.configDir);
    const Status loaded = m_config->load();
    if (!loaded.ok()) {
        Q_EMIT startFailed(u"The configuration in %1 could not be loaded: %2"_s.arg(m_options.configDir,
                                                                                     loaded.error()));
        return;
    }
    connect(m_config.get(), &config::ConfigStore::changed, this, [this] {
        Q_EMIT notice(u"configuration changed; reloading"_s);
        reload();
    });
    connect(m_config.get(), &config::ConfigStore::loadFailed, this, [this](const QString &message) {
        Q_EMIT notice(u"the changed configuration was rejected, still serving the previous one: "_s + message);
    });
    watchSecretCatalog();
    reload();
}

void GatewayService::stop()
{
    if (m_server)
        m_server->close();
    m_server.reset();
    m_simulator.reset();
    m_listening = false;
}

// Secrets live in the keychain, which other processes (`quarry create secret`) change; they record
// every change in the catalog file, so watching it tells serve when to read them again.
void GatewayService::watchSecretCatalog()
{
    m_catalogWatcher = new QFileSystemWatcher(this);
    QDir().mkpath(m_options.configDir);
    m_catalogWatcher->addPath(m_options.configDir);
    const QString catalog = secretsCatalogPath(m_options.configDir);
    if (QFile::exists(catalog))
        m_catalogWatcher->addPath(catalog);
    auto lastModified = std::make_shared<QDateTime>(QFileInfo(catalog).lastModified());
    const auto check = [this, catalog, lastModified] {
        const QFileInfo info(catalog);
        if (info.exists() && !m_catalogWatcher->files().contains(catalog))
            m_catalogWatcher->addPath(catalog);
        if (info.lastModified() == *lastModified)
            return;
        *lastModified = info.lastModified();
        Q_EMIT notice(u"secrets changed; reloading credentials"_s);
        reload();
    };
    connect(m_catalogWatcher, &QFileSystemWatcher::directoryChanged, this, check);
    connect(m_catalogWatcher, &QFileSystemWatcher::fileChanged, this, check);
}

void GatewayService::reload(std::function<void()> after)
{
    const config::ResourceSet resources = m_config->snapshot();
    const quint64 generation = ++m_reloadGeneration;
    m_credentialSources->gather(resources, [this, resources, generation, after](const CredentialInputs &inputs) {
        if (generation != m_reloadGeneration)
            return; // a newer reload started while the keychain or STS answered
        publish(resources, inputs);
        scheduleRefresh(inputs.chains);
        if (!m_listening && m_options.listen)
            listenAfterFirstLoad();
        if (after)
            after();
    });
}

void GatewayService::scheduleRefresh(const ChainResults &chains)
{
    const QDateTime soonest = CredentialSources::soonestExpiry(chains);
    if (!soonest.isValid())
        return m_refreshTimer->stop();
    // The cache renews within its margin (5 minutes) of expiry; wake just inside it.
    const qint64 untilRenewal = QDateTime::currentDateTimeUtc().msecsTo(soonest) - 5 * 60 * 1000 + 1000;
    m_refreshTimer->start(int(std::clamp<qint64>(untilRenewal, 1000, 24LL * 3600 * 1000)));
}

void GatewayService::refreshCredentials(const QString &backend, QObject *context,
                                        std::function<void(BedrockCredentials)> done)
{
    QPointer<QObject> receiver(context);
    QMetaObject::invokeMethod(this, [this, backend, receiver, done] {
        for (const auto &resource : m_config->snapshot().backends) {
            if (resource.meta.ns + u'/' + resource.meta.name == backend)
                m_credentialSources->invalidate(resource);
        }
        reload([this, backend, receiver, done] {
            const BackendTarget target = m_snapshots->current()->backends.value(backend);
            if (receiver)
                QMetaObject::invokeMethod(receiver, [done, target] { done(target.credentials); });
        });
    });
}

BackendTarget GatewayService::targetFor(const config::AiBackend &backend, const CredentialInputs &inputs) const
{
    if (backend.provider)
        return targetFor(backend, *backend.provider, inputs);
    // spec.ai.groups: every provider in priority order, the first serving, the others failover.
    std::vector<BackendTarget> providers;
    for (const auto &group : backend.groups) {
        for (const auto &provider : group.providers)
            providers.push_back(targetFor(backend, provider, inputs));
    }
    if (providers.empty())
        return targetFor(backend, config::AiProvider{}, inputs);
    BackendTarget first = providers.front();
    first.fallbacks.assign(providers.begin() + 1, providers.end());
    return first;
}

BackendTarget GatewayService::targetFor(const config::AiBackend &backend, const config::AiProvider &provider,
                                        const CredentialInputs &inputs) const
{
    BackendTarget target;
    target.name = backend.meta.ns + u'/' + backend.meta.name;
    target.provider = provider.name;
    target.model = provider.bedrock.model;
    target.endpoint = BedrockEndpoint::forRegion(provider.bedrock.region);
    if (!provider.host.isEmpty()) {
        target.endpoint.host = provider.host;
        // Plain HTTP only to this machine (the simulator, tests); anything else is TLS.
        target.endpoint.scheme = isLoopbackHost(provider.host) ? u"http"_s : u"https"_s;
        target.endpoint.port = provider.port.value_or(target.endpoint.scheme == u"http"_s ? 80 : 443);
    }
    target.endpoint.pathPrefix = provider.path;
    target.requestTimeoutMs = int(backend.policies.requestTimeoutMs.value_or(DefaultRequestTimeoutMs));
    if (provider.bedrock.guardrail) {
        target.guardrailIdentifier = provider.bedrock.guardrail->identifier;
        target.guardrailVersion = provider.bedrock.guardrail->version;
    }
    auto policies = bedrock::AiPolicies::parse(backend.policies.ai);
    if (policies.ok())
        target.policies = std::make_shared<const bedrock::AiPolicies>(std::move(policies.value()));
    else
        target.problem = u"Backend %1 has spec.policies.ai Quarry cannot use: %2"_s.arg(target.name, policies.error());
    // A group provider's own auth policy wins over the backend's.
    config::AiBackend effective = backend;
    if (provider.policies)
        effective.policies.auth = provider.policies->auth;
    target.credentials = CredentialResolver().resolve(effective, inputs.secrets, inputs.chains);

    if (m_simulator) {
        target.endpoint.scheme = u"http"_s;
        target.endpoint.host = u"127.0.0.1"_s;
        target.endpoint.port = m_simulator->port();
        target.endpoint.pathPrefix.clear();
        if (!target.credentials.usable()) {
            target.credentials.kind = BedrockCredentials::Kind::SigV4;
            target.credentials.aws = {SimulatorAccessKey, SimulatorSecretKey, {}};
            target.credentials.source = u"the built-in simulator's own key"_s;
        } else if (target.credentials.kind == BedrockCredentials::Kind::SigV4) {
            // The simulator plays the AWS account these credentials belong to.
            m_simulator->addIdentity(target.credentials.aws.accessKeyId, target.credentials.aws.secretAccessKey);
        } else {
            m_simulator->addApiKey(target.credentials.bearerToken);
        }
    }
    return target;
}

void GatewayService::publish(const config::ResourceSet &resources, const CredentialInputs &inputs)
{
    auto snapshot = std::make_shared<GatewaySnapshot>();
    QPointer<GatewayService> self(this);
    snapshot->refreshCredentials = [self](const QString &backend, QObject *context,
                                          std::function<void(BedrockCredentials)> done) {
        if (self)
            self->refreshCredentials(backend, context, std::move(done));
    };
    snapshot->resources = resources;
    if (!resources.gateways.isEmpty())
        snapshot->gatewayName = resources.gateways.first().meta.name;

    bool anyUsable = false;
    QStringList problems;
    for (const auto &backend : resources.backends) {
        BackendTarget target = targetFor(backend, inputs);
        anyUsable = anyUsable || target.credentials.usable();
        if (!target.credentials.usable())
            problems.append(target.credentials.problem);
        snapshot->backends.insert(target.name, std::move(target));
    }

    // Decided once, before listening: a running gateway never silently switches to the simulator.
    if (!m_listening && !m_simulator && m_options.simulation != GatewayOptions::Simulation::Off) {
        const bool needed = m_options.simulation == GatewayOptions::Simulation::On || !anyUsable;
        if (needed) {
            const QString reason = m_options.simulation == GatewayOptions::Simulation::On
                                       ? u"--simulate was given"_s
                                       : u"no backend has usable AWS credentials ("_s + problems.join(u"; "_s)
                                             + u')';
            if (startSimulator(reason))
                return publish(resources, inputs); // again, now pointing every backend at it
        }
    }
    for (const QString &problem : std::as_const(problems))
        Q_EMIT notice(u"warning: "_s + problem);
    m_snapshots->publish(std::move(snapshot));
    Q_EMIT published();
}

bool GatewayService::startSimulator(const QString &reason)
{
    m_simulator = std::make_unique<bedrock::BedrockSimulator>();
    m_simulator->addIdentity(SimulatorAccessKey, SimulatorSecretKey);
    const Status listening = m_simulator->listen(QHostAddress::LocalHost, 0);
    if (!listening.ok()) {
        m_simulator.reset();
        Q_EMIT notice(u"the Bedrock simulator could not start: "_s + listening.error());
        return false;
    }
    Q_EMIT notice(u"Using the built-in Bedrock simulator on 127.0.0.1:%1 because %2. Answers are simulated; "
                  "nothing is sent to AWS."_s.arg(m_simulator->port())
                      .arg(reason));
    return true;
}

void GatewayService::listenAfterFirstLoad()
{
    const auto snapshot = m_snapshots->current();
    QHostAddress address(u"127.0.0.1"_s);
    quint16 port = 8080;
    for (const auto &gateway : snapshot->resources.gateways) {
        if (gateway.meta.name == snapshot->gatewayName) {
            address = QHostAddress(gateway.bindAddress());
            port = quint16(gateway.port());
        }
    }
    if (m_options.listenAddress)
        address = *m_options.listenAddress;
    if (m_options.listenPort)
        port = *m_options.listenPort;
    if (!address.isLoopback()) {
        Q_EMIT startFailed(u"Refusing to listen on %1: Quarry holds your AWS credentials, so it only listens on "
                           "loopback (127.0.0.1 or ::1) until client keys are configured."_s.arg(
                               address.toString()));
        return;
    }

    http::ServerOptions serverOptions;
    m_server = std::make_unique<http::HttpServer>(
        [snapshots = std::shared_ptr<const SnapshotSource>(m_snapshots), sink = QPointer(m_traffic)] {
            return std::make_unique<GatewayRequestHandler>(snapshots, sink);
        },
        serverOptions);
    const Status listening = m_server->listen(address, port);
    if (!listening.ok()) {
        m_server.reset();
        Q_EMIT startFailed(listening.error());
        return;
    }
    m_listening = true;
    const QString shown = address.protocol() == QAbstractSocket::IPv6Protocol
                              ? u'[' + address.toString() + u']'
                              : address.toString();
    Q_EMIT started(shown + u':' + QString::number(m_server->serverPort()));
}

} // namespace quarry::gateway
