// The Settings page.
#include "pages/SettingsPage.h"

#include "AppSettings.h"
#include "UiContext.h"
#include "editors/FieldError.h"
#include "gateway/GatewayController.h"
#include "pages/SettingsAutostart.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

SettingsPage::SettingsPage(UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildListenerGroup());
    layout->addWidget(buildConfigGroup());
    layout->addWidget(buildStartupGroup());
    layout->addWidget(buildAppearanceGroup());
    layout->addStretch(1);
    loadListener();
}

QWidget *SettingsPage::buildListenerGroup()
{
    auto *group = new QGroupBox(u"Listener"_s, this);
    auto *form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_address = new QLineEdit(group);
    m_address->setMinimumWidth(220);
    m_address->setAccessibleName(u"Listener address"_s);
    m_port = new QSpinBox(group);
    m_port->setRange(1, 65535);
    m_port->setAccessibleName(u"Listener port"_s);
    m_port->setMinimumWidth(100);
    m_applyListener = new QPushButton(u"Apply and &restart listener"_s, group);
    m_listenerMessage = new QLabel(group);
    m_listenerMessage->setWordWrap(true);
    m_listenerMessage->hide(); // shown once there is something to say
    form->addRow(u"&Address"_s, m_address);
    form->addRow(u"&Port"_s, m_port);
    form->addRow(QString(), m_applyListener);
    form->addRow(m_listenerMessage);
    auto *note = new QLabel(u"Loopback only (127.0.0.1, ::1): the gateway signs requests with your AWS "
                            u"credentials, so it is not offered to the network."_s, group);
    note->setWordWrap(true);
    form->addRow(note);
    connect(m_applyListener, &QPushButton::clicked, this, &SettingsPage::applyListener);
    return group;
}

QWidget *SettingsPage::buildConfigGroup()
{
    auto *group = new QGroupBox(u"Configuration"_s, this);
    auto *row = new QHBoxLayout(group);
    auto *dir = new QLineEdit(m_context.configDir, group);
    dir->setReadOnly(true);
    dir->setAccessibleName(u"Configuration directory"_s);
    dir->setToolTip(u"resources.yaml lives here; `quarry apply` and this window both write it"_s);
    auto *open = new QPushButton(u"&Open folder"_s, group);
    connect(open, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_context.configDir)); });
    row->addWidget(new QLabel(u"Directory"_s, group));
    row->addWidget(dir, 1);
    row->addWidget(open);
    return group;
}

QWidget *SettingsPage::buildStartupGroup()
{
    auto *group = new QGroupBox(u"Startup"_s, this);
    auto *layout = new QVBoxLayout(group);
    m_autostart = new QCheckBox(u"Start Quarry at &login"_s, group);
    m_autostart->setChecked(SettingsAutostart::enabled());
    if (!SettingsAutostart::supported()) {
        m_autostart->setEnabled(false);
        m_autostart->setToolTip(u"Not available on this system yet"_s);
    } else {
        m_autostart->setToolTip(SettingsAutostart::entryPath());
    }
    m_minimised = new QCheckBox(u"Start &minimised to the tray"_s, group);
    m_minimised->setChecked(AppSettings::startMinimised());
    connect(m_autostart, &QCheckBox::toggled, this, &SettingsPage::setAutostart);
    connect(m_minimised, &QCheckBox::toggled, this, [](bool on) { AppSettings::setStartMinimised(on); });
    layout->addWidget(m_autostart);
    layout->addWidget(m_minimised);
    return group;
}

QWidget *SettingsPage::buildAppearanceGroup()
{
    auto *group = new QGroupBox(u"Appearance"_s, this);
    auto *layout = new QVBoxLayout(group);
    auto *label = new QLabel(u"Quarry follows the system's light or dark theme and colours."_s, group);
    label->setWordWrap(true);
    layout->addWidget(label);
    return group;
}

void SettingsPage::loadListener()
{
    QString host = u"127.0.0.1"_s;
    int port = 8080;
    if (const auto saved = AppSettings::listen()) {
        host = saved->address.toString();
        port = saved->port;
    } else if (const auto snapshot = m_context.gateway ? m_context.gateway->snapshot() : nullptr;
               snapshot && !snapshot->resources.gateways.isEmpty()) {
        host = snapshot->resources.gateways.first().bindAddress();
        port = snapshot->resources.gateways.first().port();
    }
    m_address->setText(host);
    m_port->setValue(port);
}

bool SettingsPage::applyListener()
{
    QString text = m_address->text().trimmed();
    if (text == u"localhost"_s)
        text = u"127.0.0.1"_s;
    const QHostAddress address(text);
    if (address.isNull() || !address.isLoopback()) {
        const QString message = u"\"%1\" is not a loopback address; use 127.0.0.1 or ::1"_s.arg(m_address->text());
        FieldError::mark(m_address, message);
        m_listenerMessage->setText(message);
        m_listenerMessage->show();
        return false;
    }
    FieldError::clear(m_address);
    const auto port = static_cast<quint16>(m_port->value());
    AppSettings::setListen({address, port});
    if (m_context.gateway)
        m_context.gateway->setListenAddress(address, port);
    m_listenerMessage->setText(u"Restarting the listener on %1:%2"_s.arg(address.toString()).arg(port));
    m_listenerMessage->show();
    return true;
}

void SettingsPage::setAutostart(bool on)
{
    const Status done = SettingsAutostart::setEnabled(on, QCoreApplication::applicationFilePath());
    if (!done.ok()) {
        m_autostart->setToolTip(done.error());
        const QSignalBlocker block(m_autostart);
        m_autostart->setChecked(!on);
    }
}

} // namespace quarry::ui
