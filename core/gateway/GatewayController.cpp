// Runs GatewayService on its own thread for the desktop app.
#include "gateway/GatewayController.h"

#include "secrets/ClientKey.h"
#include "secrets/KeychainSecretStore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

GatewayController::GatewayController(GatewayOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    qRegisterMetaType<telemetry::TrafficRecord>();
    if (m_options.sessionKey.isEmpty())
        m_options.sessionKey = secrets::clientkey::generate();
    m_thread.setObjectName(u"quarry-gateway"_s);
    m_threadContext = new QObject;
    m_threadContext->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_threadContext, &QObject::deleteLater);
    m_thread.start();
}

GatewayController::~GatewayController()
{
    QMetaObject::invokeMethod(m_threadContext, [this] { stopOnGatewayThread(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void GatewayController::start()
{
    setState(State::Starting, {}, {});
    QMetaObject::invokeMethod(m_threadContext, [this] { startOnGatewayThread(); }, Qt::QueuedConnection);
}

void GatewayController::stop()
{
    QMetaObject::invokeMethod(m_threadContext, [this] {
        stopOnGatewayThread();
        setState(State::Stopped, {}, {});
    }, Qt::QueuedConnection);
}

void GatewayController::retryKeychain()
{
    QMetaObject::invokeMethod(m_threadContext, [this] {
        if (m_service)
            m_service->retryKeychain();
    }, Qt::QueuedConnection);
}

void GatewayController::setAllowedOrigins(const QList<QByteArray> &origins)
{
    QMetaObject::invokeMethod(m_threadContext, [this, origins] {
        m_options.allowedOrigins = origins; // for the next start() as well
        if (m_service)
            m_service->setAllowedOrigins(origins);
    }, Qt::QueuedConnection);
}

void GatewayController::startOnGatewayThread()
{
    stopOnGatewayThread();
    auto *secretStore = new secrets::KeychainSecretStore(u"Quarry"_s, m_threadContext);
    m_service = new GatewayService(m_options, *secretStore, m_threadContext);
    secretStore->setParent(m_service); // one lifetime: the service's
    {
        QMutexLocker lock(&m_mutex);
        m_snapshots = m_service->snapshotSource();
    }
    GatewayService *service = m_service;
    connect(service, &GatewayService::started, m_threadContext,
            [this](const QString &address) { setState(State::Running, address, {}); });
    connect(service, &GatewayService::startFailed, m_threadContext, [this](const QString &message) {
        setState(State::Failed, {}, message);
    });
    connect(service, &GatewayService::notice, m_threadContext, [this](const QString &message) {
        Q_EMIT notice(message);
    });
    connect(service, &GatewayService::published, m_threadContext, [this] { Q_EMIT snapshotChanged(); });
    connect(service, &GatewayService::listenerChanged, m_threadContext,
            [this](const QString &address, const QString &problem) {
                setState(State::Running, address, {}, problem);
            });
    connect(service, &GatewayService::keychainStateChanged, m_threadContext,
            [this](KeychainState state, const QString &problem) {
                {
                    QMutexLocker lock(&m_mutex);
                    m_keychainState = state;
                    m_keychainProblem = problem;
                }
                Q_EMIT keychainStateChanged();
            });
    connect(service->traffic(), &telemetry::TrafficSink::delivered, m_threadContext,
            [this](const QList<telemetry::SharedTrafficRecord> &batch) {
                for (const telemetry::SharedTrafficRecord &record : batch)
                    Q_EMIT trafficRecorded(*record);
            });
    connect(service->traffic(), &telemetry::TrafficSink::budgetAlert, m_threadContext,
            [this](const telemetry::BudgetAlert &alert) { Q_EMIT budgetAlert(alert); });
    service->start();
}

void GatewayController::stopOnGatewayThread()
{
    if (!m_service)
        return;
    m_service->stop();
    delete m_service;
    m_service = nullptr;
}

void GatewayController::setState(State state, const QString &address, const QString &error,
                                 const QString &listenerProblem)
{
    {
        QMutexLocker lock(&m_mutex);
        m_state = state;
        m_address = address;
        m_lastError = error;
        m_listenerProblem = listenerProblem;
    }
    Q_EMIT stateChanged(state);
}

GatewayController::State GatewayController::state() const
{
    QMutexLocker lock(&m_mutex);
    return m_state;
}

QString GatewayController::address() const
{
    QMutexLocker lock(&m_mutex);
    return m_address;
}

QString GatewayController::lastError() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastError;
}

bool GatewayController::simulating() const
{
    // Derived from what is served: backends move to and from the simulator at every reload.
    if (state() != State::Running)
        return false;
    const auto served = snapshot();
    return std::any_of(served->backends.cbegin(), served->backends.cend(),
                       [](const BackendTarget &backend) { return backend.simulated; });
}

QString GatewayController::listenerProblem() const
{
    QMutexLocker lock(&m_mutex);
    return m_listenerProblem;
}

GatewayController::KeychainState GatewayController::keychainState() const
{
    QMutexLocker lock(&m_mutex);
    return m_keychainState;
}

QString GatewayController::keychainProblem() const
{
    QMutexLocker lock(&m_mutex);
    return m_keychainProblem;
}

std::shared_ptr<const GatewaySnapshot> GatewayController::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    return m_snapshots->current();
}

QHash<QString, BackendStatus> GatewayController::backendStatuses() const
{
    QHash<QString, BackendStatus> statuses;
    const auto served = snapshot();
    for (auto it = served->backends.cbegin(); it != served->backends.cend(); ++it)
        statuses.insert(it.key(), BackendStatus::of(*it));
    return statuses;
}

} // namespace quarry::gateway
