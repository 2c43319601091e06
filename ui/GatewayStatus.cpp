// The gateway's state and today's traffic totals, for the status line and the tray.
#include "GatewayStatus.h"

#include "CountText.h"
#include "telemetry/HistoryReader.h"
#include "telemetry/UsdText.h"

#include <QLocale>
#include <QPointer>
#include <QThreadPool>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::ui {

using State = gateway::GatewayController::State;

GatewayStatus::GatewayStatus(gateway::GatewayController *gateway, QObject *parent)
    : QObject(parent)
    , m_gateway(gateway)
    , m_lastAddress(gateway->address())
{
    connect(gateway, &gateway::GatewayController::stateChanged, this, [this] {
        if (!m_gateway->address().isEmpty())
            m_lastAddress = m_gateway->address();
        Q_EMIT changed();
    });
    // Backends move to and from the simulator as credentials come and go, with no state change.
    connect(gateway, &gateway::GatewayController::snapshotChanged, this, &GatewayStatus::changed);
    connect(gateway, &gateway::GatewayController::trafficRecorded, this, &GatewayStatus::count);
    connect(gateway, &gateway::GatewayController::budgetAlert, this, &GatewayStatus::alert);
}

State GatewayStatus::state() const
{
    return m_gateway->state();
}

bool GatewayStatus::running() const
{
    return state() == State::Running;
}

bool GatewayStatus::listening(State state)
{
    return state == State::Running || state == State::Starting;
}

QString GatewayStatus::address() const
{
    const QString current = m_gateway->address();
    if (!current.isEmpty())
        return current;
    if (!m_lastAddress.isEmpty())
        return m_lastAddress;
    return configuredAddress(m_gateway);
}

QString GatewayStatus::configuredAddress(const gateway::GatewayController *gateway)
{
    const auto snapshot = gateway->snapshot();
    for (const auto &gw : snapshot->resources.gateways) {
        if (gw.meta.name == snapshot->gatewayName)
            return u"%1:%2"_s.arg(gw.bindAddress()).arg(gw.port());
    }
    return u"127.0.0.1:8080"_s;
}

QString GatewayStatus::stateText() const
{
    switch (state()) {
    case State::Running:
        return u"running"_s;
    case State::Starting:
        return u"starting"_s;
    case State::Failed:
        return u"failed: "_s + m_gateway->lastError();
    case State::Stopped:
        break;
    }
    return u"stopped"_s;
}

QString GatewayStatus::modeText() const
{
    if (!running())
        return QString();
    return m_gateway->simulating() ? u"Simulator"_s : u"Bedrock"_s;
}

QString GatewayStatus::summary() const
{
    const QLocale locale;
    QString state = stateText();
    if (const QString mode = modeText(); !mode.isEmpty())
        state += u" (%1)"_s.arg(mode);
    QString line = u"%1 %2 \u00b7 %3 \u00b7 %4 in / %5 out tokens \u00b7 %6 today"_s.arg(
        address(), state, countText(m_requests, u"request"_s, u"requests"_s), locale.toString(m_tokensIn),
        locale.toString(m_tokensOut), telemetry::usdText(costToday()));
    if (const QString warning = budgetWarning(); !warning.isEmpty())
        line += u"\n"_s + warning;
    return line;
}

double GatewayStatus::costToday() const
{
    const QDateTime now = QDateTime::currentDateTime();
    return m_gateway->spending()->spent(QString(), telemetry::Budget::Period::Day, now);
}

const telemetry::BudgetAlert *GatewayStatus::worstAlert() const
{
    const telemetry::BudgetAlert *worst = nullptr;
    for (const auto &alert : m_alerts) {
        if (!worst || alert.percent > worst->percent)
            worst = &alert;
    }
    return worst;
}

QString GatewayStatus::budgetWarning() const
{
    const telemetry::BudgetAlert *worst = worstAlert();
    return worst ? worst->text() : QString();
}

QString GatewayStatus::budgetHeadline() const
{
    const telemetry::BudgetAlert *worst = worstAlert();
    return worst ? worst->headline() : QString();
}

bool GatewayStatus::budgetExceeded() const
{
    return std::any_of(m_alerts.cbegin(), m_alerts.cend(), [](const auto &alert) { return alert.exceeded(); });
}

void GatewayStatus::count(const telemetry::TrafficRecord &record)
{
    rollOverIfNewDay();
    ++m_requests;
    m_tokensIn += record.tokens.input;
    m_tokensOut += record.tokens.output;
    if (record.tokens.present && record.costUsd < 0)
        ++m_unpriced;
    Q_EMIT changed();
}

void GatewayStatus::alert(const telemetry::BudgetAlert &alert)
{
    rollOverIfNewDay();
    m_alerts.insert(alert.budget.name() + u' ' + telemetry::Budget::periodName(alert.period), alert);
    Q_EMIT changed();
    Q_EMIT budgetAlerted(alert);
}

void GatewayStatus::rollOverIfNewDay()
{
    const QDate today = QDate::currentDate();
    if (today == m_day)
        return;
    // A daily budget starts afresh every day, a monthly one on the first.
    const bool newMonth = today.month() != m_day.month() || today.year() != m_day.year();
    m_day = today;
    m_requests = m_tokensIn = m_tokensOut = m_unpriced = 0;
    m_alerts.removeIf([newMonth](QMap<QString, telemetry::BudgetAlert>::iterator entry) {
        return newMonth || entry.value().period == telemetry::Budget::Period::Day;
    });
}

void GatewayStatus::addEarlierToday(const QString &historyPath)
{
    const QDateTime before = m_since;
    QThreadPool::globalInstance()->start([self = QPointer(this), historyPath, before] {
        telemetry::HistoryQuery query;
        query.since = before.date().startOfDay();
        query.before = before;
        const auto totals = telemetry::HistoryReader(historyPath).totals(telemetry::HistoryReader::GroupBy::Day, query);
        if (!totals.ok() || totals->isEmpty())
            return; // no history (yet): today starts at zero, as it did before history existed
        const telemetry::HistoryTotals today = totals->first();
        QMetaObject::invokeMethod(self, [self, today, day = before.date()] {
            if (!self || self->m_day != day)
                return;
            self->m_requests += today.requests;
            self->m_tokensIn += today.tokensIn;
            self->m_tokensOut += today.tokensOut;
            Q_EMIT self->changed();
        });
    });
}

} // namespace quarry::ui
