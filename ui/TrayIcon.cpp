// The tray icon and its menu.
#include "TrayIcon.h"

#include "GatewayActions.h"
#include "GatewayStatus.h"

#include <QMenu>

using namespace Qt::StringLiterals;

namespace quarry::ui {

TrayIcon::TrayIcon(GatewayActions *actions, GatewayStatus *status, QObject *parent)
    : QSystemTrayIcon(QIcon(u":/quarry/icons/quarry.svg"_s), parent)
    , m_status(status)
{
    // QSystemTrayIcon does not own its menu (a QMenu needs a QWidget parent); delete it with the icon.
    auto *menu = new QMenu;
    connect(this, &QObject::destroyed, menu, &QObject::deleteLater);
    m_state = menu->addAction(QString());
    m_state->setEnabled(false);
    menu->addSeparator();
    connect(menu->addAction(u"Show Quarry"_s), &QAction::triggered, this, &TrayIcon::showWindowRequested);
    menu->addAction(actions->start());
    menu->addAction(actions->stop());
    menu->addSeparator();
    connect(menu->addAction(u"Quit"_s), &QAction::triggered, this, &TrayIcon::quitRequested);
    setContextMenu(menu);
    connect(this, &QSystemTrayIcon::activated, this, [this](ActivationReason reason) {
        if (reason == Trigger || reason == DoubleClick)
            Q_EMIT showWindowRequested();
    });
    connect(status, &GatewayStatus::changed, this, &TrayIcon::update);
    // A budget crossing 80 % or 100 % is worth a notification even with the window hidden.
    connect(status, &GatewayStatus::budgetAlerted, this, [this](const telemetry::BudgetAlert &alert) {
        showMessage(alert.exceeded() ? u"Quarry: budget spent"_s : u"Quarry: budget 80 % spent"_s, alert.text(),
                    alert.exceeded() ? Critical : Warning);
    });
    update();
}

void TrayIcon::update()
{
    m_state->setText(u"Gateway %1 on %2"_s.arg(m_status->stateText(), m_status->address()));
    setToolTip(u"Quarry \u2014 "_s + m_status->summary());
}

} // namespace quarry::ui
