// Start and Stop gateway, for every menu that offers them.
#include "GatewayActions.h"

#include "GatewayStatus.h"
#include "gateway/GatewayController.h"

#include <QAction>

using namespace Qt::StringLiterals;

namespace quarry::ui {

GatewayActions::GatewayActions(gateway::GatewayController *gateway, GatewayStatus *status, QObject *parent)
    : QObject(parent)
    , m_status(status)
    , m_start(new QAction(u"Start gateway"_s, this))
    , m_stop(new QAction(u"Stop gateway"_s, this))
{
    connect(m_start, &QAction::triggered, gateway, &gateway::GatewayController::start);
    connect(m_stop, &QAction::triggered, gateway, &gateway::GatewayController::stop);
    connect(status, &GatewayStatus::changed, this, &GatewayActions::update);
    update();
}

void GatewayActions::update()
{
    m_start->setEnabled(GatewayStatus::canStart(m_status->state()));
    m_stop->setEnabled(GatewayStatus::canStop(m_status->state()));
}

} // namespace quarry::ui
