// The Settings page.
#include "pages/SettingsPage.h"

#include "AppSettings.h"
#include "Theme.h"
#include "UiContext.h"
#include "config/ConfigStore.h"
#include "editors/FieldError.h"
#include "gateway/GatewayController.h"
#include "http/ServerOptions.h"
#include "pages/SettingsAutostart.h"
#include "pages/SettingsClientKeys.h"
#include "secrets/ClientKeyCatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

// "127.0.0.1:8080", "[::1]:8080"
QString hostPort(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]"_s.arg(address.toString())
                                                                                : address.toString();
    return host + u':' + QString::number(port);
}

// Whether the gateway's "host:port" is the listener asked for (IPv6 with or without brackets).
bool sameListener(const QString &current, const QHostAddress &address, quint16 port)
{
    const qsizetype colon = current.lastIndexOf(u':');
    if (colon <= 0 || current.mid(colon + 1).toUShort() != port)
        return false;
    QString host = current.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    return QHostAddress(host).isEqual(address, QHostAddress::TolerantConversion);
}

} // namespace

SettingsPage::SettingsPage(UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
{
    // The groups scroll: the window must still fit a 900x600 screen (tst_ui_console checks it).
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(buildListenerGroup());
    layout->addWidget(buildClientKeysGroup());
    layout->addWidget(buildOriginsGroup());
    layout->addWidget(buildConfigGroup());
    layout->addWidget(buildStartupGroup());
    layout->addWidget(buildAppearanceGroup());
    layout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    m_restartDeadline = new QTimer(this);
    m_restartDeadline->setSingleShot(true);
    m_restartDeadline->setInterval(kRestartDeadlineMs);
    connect(m_restartDeadline, &QTimer::timeout, this, [this] {
        if (m_pendingAddress.isNull())
            return;
        m_pendingAddress.clear();
        const QString current = m_context.gateway ? m_context.gateway->address() : QString();
        showListenerMessage(current.isEmpty() ? u"The gateway has not reported the new listener; it is not listening."_s
                                              : u"The gateway has not reported the new listener; still listening on %1."_s.arg(current),
                            true);
    });
    if (m_context.gateway)
        connect(m_context.gateway, &gateway::GatewayController::stateChanged, this, &SettingsPage::onGatewayStateChanged);
    if (m_context.config) { // `quarry apply` of a Gateway shows up here too
        connect(m_context.config, &config::ConfigStore::changed, this, [this] {
            if (m_pendingAddress.isNull())
                loadListener();
        });
    }
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
    auto *note = new QLabel(u"Loopback (127.0.0.1, ::1) unless a client key exists: the gateway signs "
                            u"requests with your AWS credentials, so it is offered to the network only to "
                            u"clients that present a key."_s, group);
    note->setWordWrap(true);
    form->addRow(note);
    connect(m_applyListener, &QPushButton::clicked, this, &SettingsPage::applyListener);
    return group;
}

QWidget *SettingsPage::buildClientKeysGroup()
{
    auto *group = new QGroupBox(u"Client keys"_s, this);
    auto *layout = new QVBoxLayout(group);
    m_clientKeys = new SettingsClientKeys(m_context, group);
    layout->addWidget(m_clientKeys);
    return group;
}

QWidget *SettingsPage::buildOriginsGroup()
{
    auto *group = new QGroupBox(u"Allowed web origins"_s, this);
    auto *form = new QVBoxLayout(group);
    auto *note = new QLabel(u"Web pages from these origins (exactly, e.g. http://localhost:3000; one per line "
                            u"or comma-separated) may call the gateway; all others are refused. "
                            u"$QUARRY_ALLOWED_ORIGINS adds to them."_s,
                            group);
    note->setWordWrap(true);
    m_origins = new QPlainTextEdit(group);
    m_origins->setAccessibleName(u"Allowed web origins"_s);
    m_origins->setMaximumHeight(70);
    QStringList saved;
    for (const QByteArray &origin : AppSettings::allowedOrigins())
        saved.append(QString::fromUtf8(origin));
    m_origins->setPlainText(saved.join(u'\n'));
    m_applyOrigins = new QPushButton(u"Apply &origins and restart listener"_s, group);
    m_originsMessage = new QLabel(group);
    m_originsMessage->setWordWrap(true);
    m_originsMessage->hide();
    form->addWidget(note);
    form->addWidget(m_origins);
    form->addWidget(m_applyOrigins, 0, Qt::AlignLeft);
    form->addWidget(m_originsMessage);
    connect(m_applyOrigins, &QPushButton::clicked, this, &SettingsPage::applyOrigins);
    return group;
}

bool SettingsPage::applyOrigins()
{
    static const QRegularExpression separators(u"[,\\s]+"_s);
    QList<QByteArray> origins;
    for (const QString &origin : m_origins->toPlainText().split(separators, Qt::SkipEmptyParts)) {
        if (!http::ServerOptions::isOrigin(origin)) {
            m_originsMessage->setText(
                u"\"%1\" is not an origin: write scheme://host[:port], e.g. http://localhost:3000, with no path or "
                "trailing slash."_s.arg(origin));
            m_originsMessage->setStyleSheet(u"QLabel { color: #e0443e; }"_s);
            m_originsMessage->show();
            return false;
        }
        if (!origins.contains(origin.toUtf8()))
            origins.append(origin.toUtf8());
    }
    AppSettings::setAllowedOrigins(origins);
    if (m_context.gateway)
        m_context.gateway->setAllowedOrigins(origins);
    m_originsMessage->setText(origins.isEmpty() ? u"No web origins allowed; the listener restarts."_s
                                                : u"%1 origin(s) allowed; the listener restarts."_s.arg(origins.size()));
    m_originsMessage->setStyleSheet(QString());
    m_originsMessage->show();
    return true;
}

QString SettingsPage::originsMessage() const
{
    return m_originsMessage->isHidden() ? QString() : m_originsMessage->text();
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
    auto *row = new QHBoxLayout;
    m_theme = new QComboBox(group);
    m_theme->setAccessibleName(u"Theme"_s);
    m_theme->addItem(u"System"_s, Theme::name(Theme::Mode::System));
    m_theme->addItem(u"Light"_s, Theme::name(Theme::Mode::Light));
    m_theme->addItem(u"Dark"_s, Theme::name(Theme::Mode::Dark));
    m_theme->setCurrentIndex(m_theme->findData(Theme::name(Theme::mode())));
    auto *themeLabel = new QLabel(u"&Theme"_s, group);
    themeLabel->setBuddy(m_theme);
    row->addWidget(themeLabel);
    row->addWidget(m_theme);
    row->addStretch(1);
    layout->addLayout(row);
    // Where the desktop reports its scheme (macOS, Windows, KDE/GNOME with a Qt platform theme),
    // System follows it; a bare Linux session reports none, hence the choice.
    auto *label = new QLabel(u"System uses the desktop's light or dark colours where it reports them; "
                             u"choose Light or Dark where it does not."_s,
                             group);
    label->setWordWrap(true);
    layout->addWidget(label);
    connect(m_theme, &QComboBox::currentIndexChanged, this, [this] {
        const auto mode = Theme::fromName(m_theme->currentData().toString()).value_or(Theme::Mode::System);
        Theme::setMode(mode);
        Theme::save(mode);
    });
    return group;
}

config::Gateway SettingsPage::configuredGateway() const
{
    const QList<config::Gateway> gateways = m_context.config ? m_context.config->snapshot().gateways : QList<config::Gateway>{};
    const QString served = m_context.gateway ? m_context.gateway->snapshot()->gatewayName : QString();
    for (const auto &gateway : gateways) {
        if (gateway.meta.name == served)
            return gateway;
    }
    return gateways.isEmpty() ? config::ConfigStore::defaults().gateways.first() : gateways.first();
}

void SettingsPage::loadListener()
{
    const config::Gateway gateway = configuredGateway();
    m_address->setText(gateway.bindAddress());
    m_port->setValue(gateway.port());
}

QString SettingsPage::listenerMessage() const
{
    return m_listenerMessage->isHidden() ? QString() : m_listenerMessage->text();
}

void SettingsPage::showListenerMessage(const QString &text, bool error)
{
    m_listenerMessage->setText(text);
    m_listenerMessage->setStyleSheet(error ? u"QLabel { color: #e0443e; }"_s : QString());
    m_listenerMessage->setVisible(!text.isEmpty());
}

bool SettingsPage::applyListener()
{
    QString text = m_address->text().trimmed();
    if (text == u"localhost"_s)
        text = u"127.0.0.1"_s;
    const QHostAddress address(text);
    const bool haveKeys = !secrets::ClientKeyCatalog(m_context.configDir).entries().isEmpty();
    if (address.isNull() || (!address.isLoopback() && !haveKeys)) {
        const QString message =
            address.isNull()
                ? u"\"%1\" is not an IP address; use 127.0.0.1 or ::1"_s.arg(m_address->text())
                : u"\"%1\" is not a loopback address: create a client key first, or use 127.0.0.1 or ::1"_s.arg(
                      m_address->text());
        FieldError::mark(m_address, message);
        showListenerMessage(message, true);
        return false;
    }
    FieldError::clear(m_address);
    if (!m_context.config) {
        showListenerMessage(u"No configuration to write the listener to."_s, true);
        return false;
    }
    const auto port = static_cast<quint16>(m_port->value());
    // spec.addresses[0] and the HTTP listener's port, as `quarry apply` of an edited Gateway would.
    config::Gateway gateway = configuredGateway();
    const config::Gateway previous = gateway;
    const config::GatewayAddress bind{u"IPAddress"_s, address.toString()};
    if (gateway.addresses.isEmpty())
        gateway.addresses.append(bind);
    else
        gateway.addresses.first() = bind;
    auto listener = std::find_if(gateway.listeners.begin(), gateway.listeners.end(),
                                 [](const config::Listener &l) { return l.protocol == u"HTTP"_s; });
    if (listener == gateway.listeners.end())
        gateway.listeners.prepend(config::Listener{u"http"_s, port, u"HTTP"_s, {}, {}});
    else
        listener->port = port;
    if (const Status applied = m_context.config->apply({config::Resource{gateway, {}}}); !applied.ok()) {
        showListenerMessage(u"Not changed: "_s + applied.error(), true);
        return false;
    }
    m_pendingAddress = address;
    m_pendingPort = port;
    m_previous = previous;
    m_restartDeadline->start();
    showListenerMessage(u"Restarting the listener on %1\u2026"_s.arg(hostPort(address, port)), false);
    // Already there (nothing changed)? A problem the gateway reports now is an earlier change's.
    if (sameListener(m_context.gateway ? m_context.gateway->address() : QString(), address, port))
        onGatewayStateChanged();
    return true;
}

void SettingsPage::onGatewayStateChanged()
{
    if (m_pendingAddress.isNull() || !m_context.gateway)
        return;
    const QString current = m_context.gateway->address();
    const QString wanted = hostPort(m_pendingAddress, m_pendingPort);
    if (sameListener(current, m_pendingAddress, m_pendingPort)) {
        m_pendingAddress.clear();
        m_previous.reset();
        m_restartDeadline->stop();
        showListenerMessage(u"Listening on %1."_s.arg(wanted), false);
        return;
    }
    QString problem = m_context.gateway->listenerProblem();
    if (problem.isEmpty())
        return; // not reported yet
    while (problem.endsWith(u'.'))
        problem.chop(1);
    m_pendingAddress.clear();
    m_restartDeadline->stop();
    // The Gateway resource goes back to the listener that serves, so `quarry get gateways`, this
    // page and the status line keep telling the same story.
    QString reverted;
    if (const auto previous = std::exchange(m_previous, std::nullopt); previous && m_context.config) {
        const Status back = m_context.config->apply({config::Resource{*previous, {}}});
        reverted = back.ok() ? u" The Gateway resource is back to %1:%2."_s.arg(previous->bindAddress()).arg(previous->port())
                             : u" The Gateway resource could not be put back: %1"_s.arg(back.error());
        loadListener();
    }
    showListenerMessage((current.isEmpty() ? u"Could not listen on %1: %2."_s.arg(wanted, problem)
                                           : u"Could not listen on %1: %2. Still listening on %3."_s.arg(wanted, problem, current))
                            + reverted,
                        true);
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
