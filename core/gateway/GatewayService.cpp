// The gateway's lifecycle: load, resolve credentials, listen, and follow config changes.
#include "gateway/GatewayService.h"

#include "config/BudgetAnnotations.h"
#include "config/ConfigStore.h"
#include "http/HttpServer.h"
#include "simulator/BedrockSimulator.h"
#include "secrets/ClientKeyCatalog.h"
#include "secrets/SecretStore.h"
#include "telemetry/HistoryReader.h"

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
// How long a replaced listener keeps serving the requests it had already accepted.
constexpr int RetiringListenerGraceMs = 30 * 1000;
// A locked history file delays the first start at most this long (it is read once, before listening).
constexpr int HistoryReadTimeoutMs = 1000;
// An editor's save can be several events (truncate, write, rename); the prices are read once after.
constexpr int PricesSettleMs = 100;

// Whether the file's bytes (at most `limit`; a missing file reads as none) differ from `last`,
// which then holds them. Content, not times: two changes can share a modification time.
bool contentChanged(const QString &path, qint64 limit, QByteArray &last)
{
    QFile file(path);
    QByteArray now = file.open(QIODevice::ReadOnly) ? file.read(limit) : QByteArray();
    if (now == last)
        return false;
    last = std::move(now);
    return true;
}

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
    // Direct: counted on the worker thread that publishes, without a queued copy of the record.
    connect(
        m_traffic, &telemetry::TrafficSink::recorded, m_traffic,
        [metrics = m_metrics](const telemetry::SharedTrafficRecord &record) { metrics->record(*record); },
        Qt::DirectConnection);
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
        loadPrices();
        reload();
    });
    connect(m_config.get(), &config::ConfigStore::loadFailed, this, [this](const QString &message) {
        Q_EMIT notice(u"the changed configuration was rejected, still serving the previous one: "_s + message);
    });
    m_configDirWatcher = new QFileSystemWatcher(this);
    QDir().mkpath(m_options.configDir);
    m_configDirWatcher->addPath(m_options.configDir);
    watchSecretCatalog();
    loadClientKeys();
    loadPrices();
    watchPrices();
    continueFromHistory();
    // Listen before the keychain answers: it may be locked for minutes (or forever), and backends
    // that do not need it must serve meanwhile.
    if (m_options.listen) {
        CredentialInputs nothingYet;
        nothingYet.secretsPending = true;
        nothingYet.chainsPending = true;
        publish(m_config->snapshot(), nothingYet);
        followListener();
    }
    reload();
}

void GatewayService::stop()
{
    if (m_server)
        m_server->close();
    m_server.reset();
    m_retiringServer.reset();
    m_simulator.reset();
}

void GatewayService::retryKeychain()
{
    Q_EMIT notice(u"reading the keychain again"_s);
    reload();
}

// Secrets live in the keychain, which other processes (`quarry create secret`) change; they record
// every change in the catalog file, so watching it tells serve when to read them again.
void GatewayService::watchSecretCatalog()
{
    const QString catalog = secretsCatalogPath(m_options.configDir);
    if (QFile::exists(catalog))
        m_configDirWatcher->addPath(catalog);
    auto lastModified = std::make_shared<QDateTime>(QFileInfo(catalog).lastModified());
    const auto check = [this, catalog, lastModified] {
        const QFileInfo info(catalog);
        if (info.exists() && !m_configDirWatcher->files().contains(catalog))
            m_configDirWatcher->addPath(catalog);
        if (info.lastModified() == *lastModified)
            return;
        *lastModified = info.lastModified();
        Q_EMIT notice(u"secrets changed; reloading credentials"_s);
        reload();
    };
    connect(m_configDirWatcher, &QFileSystemWatcher::directoryChanged, this, check);
    connect(m_configDirWatcher, &QFileSystemWatcher::fileChanged, this, check);
    // Client keys are created and revoked by other processes too (`quarry keys`, the window): the
    // file is rewritten by rename, which the directory watch sees.
    const QString keysPath = secrets::ClientKeyCatalog(m_options.configDir).filePath();
    auto lastKeys = std::make_shared<QByteArray>();
    const auto checkKeys = [this, keysPath, lastKeys] {
        if (!contentChanged(keysPath, 1024 * 1024, *lastKeys))
            return;
        if (loadClientKeys())
            Q_EMIT notice(u"client keys changed: %1 key(s)"_s.arg(m_clientKeyCount));
    };
    checkKeys();
    connect(m_configDirWatcher, &QFileSystemWatcher::directoryChanged, this, checkKeys);
}

// pricing.json is edited by hand, in place or by an editor's rename: its prices apply to the
// next request without a reload, which would read the keychain again for nothing.
void GatewayService::watchPrices()
{
    const QString path = telemetry::PriceTable::overridePath(m_options.configDir);
    // A byte more than PriceTable takes tells a file it refuses from one it reads.
    constexpr qint64 limit = telemetry::PriceTable::MaxOverrideBytes + 1;
    QByteArray read;
    contentChanged(path, limit, read); // what loadPrices() has just read
    // A watch on the file itself sees edits in place; a rename or a delete drops it.
    const auto watchFile = [this, path] {
        if (QFileInfo::exists(path) && !m_configDirWatcher->files().contains(path))
            m_configDirWatcher->addPath(path);
    };
    watchFile();
    auto *settle = new QTimer(this);
    settle->setSingleShot(true);
    settle->setInterval(PricesSettleMs);
    const auto changed = [watchFile, settle] {
        watchFile();
        settle->start();
    };
    connect(m_configDirWatcher, &QFileSystemWatcher::directoryChanged, this, changed);
    connect(m_configDirWatcher, &QFileSystemWatcher::fileChanged, this, [changed, path](const QString &file) {
        if (file == path)
            changed();
    });
    connect(settle, &QTimer::timeout, this, [this, path, last = std::move(read)]() mutable {
        if (!contentChanged(path, limit, last))
            return;
        loadPrices();
        auto snapshot = std::make_shared<GatewaySnapshot>(*m_snapshots->current());
        snapshot->prices = m_prices;
        m_snapshots->publish(std::move(snapshot));
        if (!QFileInfo::exists(path))
            Q_EMIT notice(u"prices changed: pricing.json is gone, the shipped prices apply"_s);
        else if (m_pricesWarning.isEmpty()) // else loadPrices() said why the file is not used
            Q_EMIT notice(u"prices changed: pricing.json read again"_s);
        Q_EMIT published();
    });
}

bool GatewayService::loadClientKeys()
{
    const auto loaded = secrets::ClientKeyCatalog(m_options.configDir).load();
    // A listener that is not loopback always requires a key; so does one whose key list cannot be
    // read (fail closed: every request is refused until the file is fixed).
    const bool exposed = m_server && !m_listenAddress.isLoopback();
    QList<secrets::ClientKeyDigest> digests;
    if (loaded) {
        for (const auto &entry : loaded.value())
            digests.append(entry.digest);
    } else {
        Q_EMIT notice(u"client keys cannot be read, so every request is refused: "_s + loaded.error());
    }
    m_clientKeyCount = int(digests.size());
    m_clientKeys->publish(
        std::make_shared<const secrets::ClientKeyCheck>(digests, exposed || !loaded, m_options.sessionKey));
    return bool(loaded);
}

void GatewayService::setAllowedOrigins(const QList<QByteArray> &origins)
{
    m_options.allowedOrigins = origins;
    if (!m_server)
        return;
    // The origins are fixed when a listener starts: start a new one on the same address. The old
    // one lets go of the port first, and keeps its open requests for a while.
    m_server->close();
    m_retiringServer = std::move(m_server);
    QTimer::singleShot(RetiringListenerGraceMs, this, [this, retiring = m_retiringServer.get()] {
        if (m_retiringServer.get() == retiring)
            m_retiringServer.reset();
    });
    m_failedListen.reset();
    m_restarting = true;
    followListener();
    m_restarting = false;
}

void GatewayService::reload(std::function<void()> after)
{
    if (after)
        m_afterReload.push_back(std::move(after));
    const config::ResourceSet resources = m_config->snapshot();
    const quint64 generation = ++m_reloadGeneration;
    m_credentialSources->gather(resources, [this, resources, generation](const CredentialInputs &inputs,
                                                                         bool complete) {
        if (generation != m_reloadGeneration)
            return; // a newer reload started while the keychain or STS answered; its answer counts
        // Half an answer is worth serving only before the first whole one (start-up, a locked
        // keychain); later, the previous snapshot is better than one with a half marked pending.
        if (!complete && (m_publishedComplete || !m_options.listen))
            return;
        publish(resources, inputs);
        updateKeychainState(resources, inputs);
        followListener();
        if (!complete)
            return;
        m_publishedComplete = true;
        scheduleRefresh(inputs.chains);
        for (auto &done : std::exchange(m_afterReload, {}))
            done();
    });
}

void GatewayService::updateKeychainState(const config::ResourceSet &resources, const CredentialInputs &inputs)
{
    KeychainState state = KeychainState::Ready;
    QString problem;
    bool needed = false;
    CredentialSources::forEachAuth(resources, [&needed](const config::AiBackend &backend) {
        needed = needed || CredentialResolver::referencedSecret(backend).has_value();
    });
    if (needed && inputs.secretsPending) {
        state = KeychainState::Waiting;
        problem = u"the OS keychain has not answered yet"_s;
    }
    for (const auto &result : inputs.secrets) {
        using Outcome = secrets::ReadResult::Outcome;
        if (result.outcome == Outcome::NoAnswer || result.outcome == Outcome::Failed) {
            state = KeychainState::Unavailable;
            problem = result.error;
        }
    }
    if (state == m_keychainState && problem == m_keychainProblem)
        return;
    m_keychainState = state;
    m_keychainProblem = problem;
    Q_EMIT keychainStateChanged(state, problem);
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

void GatewayService::refreshCredentials(const QString &backend, const QString &provider, QObject *context,
                                        std::function<void(BedrockCredentials)> done)
{
    QPointer<QObject> receiver(context);
    QMetaObject::invokeMethod(this, [this, backend, provider, receiver, done] {
        for (const auto &resource : m_config->snapshot().backends) {
            if (resource.meta.ns + u'/' + resource.meta.name == backend)
                m_credentialSources->invalidate(resource);
        }
        reload([this, backend, provider, receiver, done] {
            // The provider that was refused, not the backend's first: each signs with its own.
            const BackendTarget target = m_snapshots->current()->backends.value(backend);
            BedrockCredentials fresh = target.credentials;
            for (const BackendTarget &fallback : target.fallbacks) {
                if (fallback.provider == provider && target.provider != provider)
                    fresh = fallback.credentials;
            }
            if (receiver)
                QMetaObject::invokeMethod(receiver, [done, fresh] { done(fresh); });
        });
    });
}

BackendTarget GatewayService::targetFor(const config::AiBackend &backend, const config::ResourceSet &resources,
                                        const CredentialInputs &inputs)
{
    if (backend.provider)
        return targetFor(backend, *backend.provider, resources, inputs);
    // spec.ai.groups: every provider in priority order, the first serving, the others failover.
    std::vector<BackendTarget> providers;
    for (const auto &group : backend.groups) {
        for (const auto &provider : group.providers)
            providers.push_back(targetFor(backend, provider, resources, inputs));
    }
    if (providers.empty())
        return targetFor(backend, config::AiProvider{}, resources, inputs);
    // The first provider that can sign serves; one without credentials is skipped like a failed
    // one. With none usable the first stays, so the client hears its problem.
    auto serving = std::find_if(providers.begin(), providers.end(),
                                [](const BackendTarget &provider) { return provider.credentials.usable(); });
    if (serving == providers.end())
        serving = providers.begin();
    BackendTarget first = *serving;
    first.fallbacks.assign(serving + 1, providers.end());
    return first;
}

BackendTarget GatewayService::targetFor(const config::AiBackend &backend, const config::AiProvider &provider,
                                        const config::ResourceSet &resources, const CredentialInputs &inputs)
{
    BackendTarget target;
    target.name = backend.meta.ns + u'/' + backend.meta.name;
    target.provider = provider.name;
    target.model = provider.bedrock.model;
    target.endpoint = BedrockEndpoint::forRegion(provider.bedrock.region);
    // A group provider's own TLS policy wins over the backend's, as its auth does.
    const QJsonObject tls =
        provider.policies && !provider.policies->tls.isEmpty() ? provider.policies->tls : backend.policies.tls;
    if (!provider.host.isEmpty()) {
        target.endpoint.host = provider.host;
        // Plain HTTP only to this machine (the simulator, tests) and only without a TLS policy
        // ("if this field is set, TLS will be initiated to the backend"); anything else is TLS.
        target.endpoint.scheme = isLoopbackHost(provider.host) && tls.isEmpty() ? u"http"_s : u"https"_s;
        target.endpoint.port = provider.port.value_or(target.endpoint.scheme == u"http"_s ? 80 : 443);
    }
    if (const auto settings = upstream::UpstreamTls::fromPolicy(tls, resources, backend.meta.ns); settings.ok())
        target.endpoint.tls = settings.value();
    else
        target.connectionProblem = u"Backend %1: "_s.arg(target.name) + settings.error();
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
    target.credentials = CredentialResolver().resolve(effective, inputs);
    if (simulates(target.credentials))
        pointAtSimulator(target);
    return target;
}

// What a start takes from history: where request ids go on (a restart hands out none of the ids
// already there), and what budgets spent before it. A history that cannot be read costs only that.
// Only the first start seeds the budgets, file or no file: by a later one (the window's Stop and
// Start) history also holds what the tracker counted live since.
void GatewayService::continueFromHistory()
{
    const bool seedSpending = m_options.spending->claimSeeding();
    if (m_options.historyPath.isEmpty() || !QFileInfo::exists(m_options.historyPath))
        return;
    telemetry::HistoryReader reader(m_options.historyPath, HistoryReadTimeoutMs);
    if (const auto last = reader.lastRequestId(); last.ok())
        GatewayRequestHandler::continueRequestIdsAfter(*last);
    if (seedSpending)
        seedSpendingFromHistory(reader);
}

// Budgets count what was spent before a restart: this month's spend in history, summed per backend.
void GatewayService::seedSpendingFromHistory(telemetry::HistoryReader &reader)
{
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime todayStart(now.date(), QTime(0, 0));
    const QDateTime monthStart(QDate(now.date().year(), now.date().month(), 1), QTime(0, 0));
    // The month before today, then today: the two sums the budgets keep per backend.
    for (const auto &[from, to] : {std::pair{monthStart, todayStart}, std::pair{todayStart, todayStart.addDays(1)}}) {
        const auto spent = reader.spentBetween(from, to);
        if (!spent.ok()) {
            Q_EMIT notice(u"warning: budgets count only what is spent from now on: "_s + spent.error());
            return;
        }
        for (const telemetry::BackendSpend &backend : *spent)
            m_options.spending->seed(backend.backend, backend.costUsd, from, now);
    }
}

// insecureSkipVerify is the user's choice, but not a silent one: said once per backend.
void GatewayService::warnOfUnverifiedTls(const BackendTarget &target, QSet<QString> &unverified)
{
    const auto verify = target.endpoint.tls.verify;
    if (target.simulated || target.endpoint.scheme != u"https"_s || verify == upstream::UpstreamTls::Verify::Full)
        return;
    unverified.insert(target.name);
    if (m_unverifiedBackends.contains(target.name))
        return;
    Q_EMIT notice(u"warning: backend %1 does not verify %2 of %3 (spec.policies.tls.insecureSkipVerify: %4); "
                  "anyone on the network path could read or change its traffic"_s.arg(
                      target.name,
                      verify == upstream::UpstreamTls::Verify::None ? u"the TLS certificate"_s
                                                                     : u"the host name in the TLS certificate"_s,
                      target.endpoint.host,
                      verify == upstream::UpstreamTls::Verify::None ? u"All"_s : u"Hostname"_s));
}

bool GatewayService::simulates(const BedrockCredentials &credentials) const
{
    switch (m_options.simulation) {
    case GatewayOptions::Simulation::Off:
        return false;
    case GatewayOptions::Simulation::On:
        // --simulate needs no credentials, so nothing waits for the keychain: until it answers,
        // the simulator's own key signs (then the stored key's, which the simulator plays).
        return true;
    case GatewayOptions::Simulation::IfNeeded:
        // Only what is known to be missing: a keychain that has not answered yet is no reason.
        return credentials.kind == BedrockCredentials::Kind::Missing;
    }
    return false;
}

void GatewayService::pointAtSimulator(BackendTarget &target)
{
    if (!m_simulator && !startSimulator())
        return;
    target.simulated = true;
    target.endpoint.scheme = u"http"_s;
    target.endpoint.host = u"127.0.0.1"_s;
    target.endpoint.port = m_simulator->port();
    target.endpoint.pathPrefix.clear();
    target.endpoint.tls = {};
    target.connectionProblem.clear();
    if (!target.credentials.usable()) {
        const QString problem = target.credentials.problem; // kept: why the simulator answers
        target.credentials = {};
        target.credentials.kind = BedrockCredentials::Kind::SigV4;
        target.credentials.aws = {SimulatorAccessKey, SimulatorSecretKey, {}};
        target.credentials.source = u"the built-in simulator's own key"_s;
        target.credentials.problem = problem;
    } else if (target.credentials.kind == BedrockCredentials::Kind::SigV4) {
        // The simulator plays the AWS account these credentials belong to.
        m_simulator->addIdentity(target.credentials.aws.accessKeyId, target.credentials.aws.secretAccessKey);
    } else {
        m_simulator->addApiKey(target.credentials.bearerToken);
    }
}

void GatewayService::publish(const config::ResourceSet &resources, const CredentialInputs &inputs)
{
    auto snapshot = std::make_shared<GatewaySnapshot>();
    QPointer<GatewayService> self(this);
    snapshot->refreshCredentials = [self](const QString &backend, const QString &provider, QObject *context,
                                          std::function<void(BedrockCredentials)> done) {
        if (self)
            self->refreshCredentials(backend, provider, context, std::move(done));
    };
    snapshot->resources = resources;
    if (!resources.gateways.isEmpty())
        snapshot->gatewayName = resources.gateways.first().meta.name;
    snapshot->prices = m_prices;
    snapshot->budgets = budgetsOf(resources, snapshot->gatewayName);

    const bool complete = !inputs.secretsPending && !inputs.chainsPending;
    QSet<QString> simulated;
    QSet<QString> unverified;
    for (const auto &backend : resources.backends) {
        BackendTarget target = targetFor(backend, resources, inputs);
        warnOfUnverifiedTls(target, unverified);
        if (target.simulated) {
            simulated.insert(target.name);
            if (!m_simulatedBackends.contains(target.name)) {
                const QString why = m_options.simulation == GatewayOptions::Simulation::On
                                        ? u"--simulate was given"_s
                                        : target.credentials.problem;
                Q_EMIT notice(u"Using the built-in Bedrock simulator on 127.0.0.1:%1 for backend %2 because %3. "
                              "Answers are simulated; nothing is sent to AWS."_s.arg(m_simulator->port())
                                  .arg(target.name, why));
            }
        } else if (m_simulatedBackends.contains(target.name) && target.credentials.usable()) {
            Q_EMIT notice(u"Backend %1 now signs with %2; its requests go to Amazon Bedrock."_s.arg(
                target.name, target.credentials.source));
        }
        if (complete && !target.credentials.usable() && !target.simulated)
            Q_EMIT notice(u"warning: "_s + target.credentials.problem);
        if (m_options.simulateOnRequest) {
            // Its twin answered by the simulator; no failover to a provider that would call Bedrock.
            BackendTarget twin = target;
            twin.fallbacks.clear();
            if (!twin.simulated)
                pointAtSimulator(twin);
            if (twin.simulated)
                snapshot->simulatedBackends.insert(twin.name, std::move(twin));
        }
        snapshot->backends.insert(target.name, std::move(target));
    }
    m_simulatedBackends = simulated;
    m_unverifiedBackends = unverified;
    m_snapshots->publish(std::move(snapshot));
    Q_EMIT published();
}

void GatewayService::loadPrices()
{
    QString warning;
    m_prices =
        std::make_shared<const telemetry::PriceTable>(telemetry::PriceTable::load(m_options.configDir, &warning));
    if (!warning.isEmpty() && warning != m_pricesWarning)
        Q_EMIT notice(u"warning: "_s + warning);
    m_pricesWarning = warning;
}

QList<telemetry::Budget> GatewayService::budgetsOf(const config::ResourceSet &resources,
                                                   const QString &gatewayName) const
{
    QList<telemetry::Budget> budgets;
    const auto add = [&](const config::ObjectMeta &meta, const QString &backend) {
        const config::BudgetLimits limits = config::BudgetAnnotations::read(meta);
        if (limits.any())
            budgets.append({backend, gatewayName, limits.dailyUsd, limits.monthlyUsd, limits.hardLimit});
    };
    for (const auto &gateway : resources.gateways) {
        if (gateway.meta.name == gatewayName)
            add(gateway.meta, QString());
    }
    for (const auto &backend : resources.backends)
        add(backend.meta, backend.meta.ns + u'/' + backend.meta.name);
    return budgets;
}

bool GatewayService::startSimulator()
{
    m_simulator = std::make_unique<bedrock::BedrockSimulator>();
    m_simulator->addIdentity(SimulatorAccessKey, SimulatorSecretKey);
    const Status listening = m_simulator->listen(QHostAddress::LocalHost, 0);
    if (!listening.ok()) {
        m_simulator.reset();
        Q_EMIT notice(u"the Bedrock simulator could not start: "_s + listening.error());
        return false;
    }
    return true;
}

void GatewayService::followListener()
{
    if (!m_options.listen)
        return;
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
    const auto wanted = std::pair(address, port);
    if (m_server && address == m_listenAddress && port == m_listenPort) {
        // Serving there already. A change that failed before is withdrawn (the config asks for
        // what serves again): its problem no longer stands.
        if (std::exchange(m_failedListen, std::nullopt))
            Q_EMIT listenerChanged(m_listenAddress.toString() + u':' + QString::number(m_server->serverPort()), {});
        return;
    }
    if (m_failedListen == wanted)
        return; // already said why it cannot

    const auto refuse = [this, wanted](const QString &problem) {
        m_failedListen = wanted;
        if (!m_server)
            return Q_EMIT startFailed(problem);
        const QString current = m_listenAddress.toString() + u':' + QString::number(m_server->serverPort());
        Q_EMIT notice(u"the listener stays on %1: %2"_s.arg(current, problem));
        Q_EMIT listenerChanged(current, problem);
    };
    loadClientKeys();
    if (!address.isLoopback() && m_clientKeyCount == 0) {
        return refuse(u"Refusing to listen on %1 with no client keys: anyone who can reach it could spend "
                      "your AWS credentials. Create a key first (`quarry keys create NAME`, or Settings "
                      "in the window); clients then send it as 'Authorization: Bearer KEY' or "
                      "'x-api-key: KEY'."_s.arg(address.toString()));
    }
    http::ServerOptions serverOptions;
    serverOptions.allowedOrigins = m_options.allowedOrigins;
    auto server = std::make_unique<http::HttpServer>(
        [snapshots = std::shared_ptr<const SnapshotSource>(m_snapshots), sink = QPointer(m_traffic),
         keys = std::shared_ptr<const secrets::ClientKeySource>(m_clientKeys), spending = m_options.spending,
         metrics = std::shared_ptr<const telemetry::GatewayMetrics>(m_metrics)] {
            return std::make_unique<GatewayRequestHandler>(snapshots, sink, keys, spending, metrics);
        },
        serverOptions);
    if (const Status listening = server->listen(address, port); !listening.ok())
        return refuse(listening.error());

    const bool first = !m_server && !m_restarting;
    if (m_server) {
        // The old listener stops accepting now and keeps its open requests for a while.
        m_server->close();
        m_retiringServer = std::move(m_server);
        QTimer::singleShot(RetiringListenerGraceMs, this, [this, retiring = m_retiringServer.get()] {
            if (m_retiringServer.get() == retiring)
                m_retiringServer.reset();
        });
    }
    m_server = std::move(server);
    m_listenAddress = address;
    m_listenPort = port;
    m_failedListen.reset();
    loadClientKeys(); // a non-loopback address requires a key from now on
    const QString shown = (address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                                                 : address.toString())
                          + u':' + QString::number(m_server->serverPort());
    if (first)
        return Q_EMIT started(shown);
    Q_EMIT notice(u"now listening on http://"_s + shown);
    Q_EMIT listenerChanged(shown, {});
}

} // namespace quarry::gateway
