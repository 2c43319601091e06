// The client keys group of the Settings page.
#include "pages/SettingsClientKeys.h"

#include "UiContext.h"
#include "secrets/ClientKeyCatalog.h"
#include "secrets/SecretStore.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

SettingsClientKeys::SettingsClientKeys(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *intro = new QLabel(u"When a key exists, every client must send one: 'Authorization: Bearer KEY' "
                             u"(OpenAI SDKs; AWS SDKs via AWS_BEARER_TOKEN_BEDROCK) or 'x-api-key: KEY' "
                             u"(Anthropic SDK, Claude Code). A listener off loopback requires one."_s,
                             this);
    intro->setWordWrap(true);
    m_list = new QTreeWidget(this);
    m_list->setAccessibleName(u"Client keys"_s);
    m_list->setHeaderLabels({u"Name"_s, u"Created"_s, u"Fingerprint"_s});
    m_list->setRootIsDecorated(false);
    m_list->setMinimumHeight(84); // a few rows stay readable when the page is short
    m_list->setMaximumHeight(140);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(u"name, e.g. laptop-sdk"_s);
    m_name->setAccessibleName(u"New client key name"_s);
    m_create = new QPushButton(u"Create &key"_s, this);
    m_revoke = new QPushButton(u"Re&voke"_s, this);
    m_revoke->setEnabled(false);
    auto *row = new QHBoxLayout;
    row->addWidget(m_name, 1);
    row->addWidget(m_create);
    row->addWidget(m_revoke);
    m_newKey = new QLineEdit(this);
    m_newKey->setReadOnly(true);
    m_newKey->setAccessibleName(u"New client key"_s);
    m_copy = new QPushButton(u"Copy"_s, this);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_newKey, 1);
    keyRow->addWidget(m_copy);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(intro);
    layout->addWidget(m_list);
    layout->addLayout(row);
    layout->addLayout(keyRow);
    layout->addWidget(m_message);
    m_newKey->hide();
    m_copy->hide();

    connect(m_create, &QPushButton::clicked, this, [this] { createKey(m_name->text().trimmed()); });
    connect(m_name, &QLineEdit::returnPressed, this, [this] { createKey(m_name->text().trimmed()); });
    connect(m_revoke, &QPushButton::clicked, this, &SettingsClientKeys::revokeSelected);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this,
            [this] { m_revoke->setEnabled(!m_list->selectedItems().isEmpty()); });
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_newKey->text()); });
    reload();
}

void SettingsClientKeys::reload()
{
    m_list->clear();
    const auto loaded = secrets::ClientKeyCatalog(m_context.configDir).load();
    if (!loaded)
        return say(loaded.error(), true);
    for (const auto &entry : loaded.value()) {
        m_list->addTopLevelItem(new QTreeWidgetItem(
            {entry.name, entry.created.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s), entry.fingerprint}));
    }
}

void SettingsClientKeys::createKey(const QString &name)
{
    forgetShownKey();
    if (!secrets::clientkey::isValidName(name))
        return say(u"Name the key with 1-63 letters, digits, '.', '_' or '-'."_s, true);
    if (!m_context.secrets)
        return say(u"No keychain to keep the key in."_s, true);
    for (const auto &entry : secrets::ClientKeyCatalog(m_context.configDir).entries()) {
        if (entry.name == name)
            return say(u"A key named \"%1\" exists; revoke it first."_s.arg(name), true);
    }
    const QByteArray key = secrets::clientkey::generate();
    const secrets::SecretId id = secrets::ClientKeyCatalog::keychainId(name);
    m_create->setEnabled(false);
    say(u"Storing the key in the keychain\u2026"_s, false);
    m_context.secrets->write(id, {{u"key"_s, key}}, [self = QPointer(this), name, key, id](Status written) {
        if (!self)
            return;
        self->m_create->setEnabled(true);
        if (!written.ok())
            return self->say(u"Not created: the keychain refused the key: "_s + written.error(), true);
        secrets::ClientKeyCatalog catalog(self->m_context.configDir);
        if (const Status added = catalog.add(secrets::ClientKeyCatalog::entryFor(name, key)); !added.ok()) {
            self->m_context.secrets->remove(id, [](Status) {});
            return self->say(u"Not created: "_s + added.error(), true);
        }
        self->m_name->clear();
        self->m_newKey->setText(QString::fromLatin1(key));
        self->m_newKey->show();
        self->m_copy->show();
        self->say(u"Key \"%1\" created. Copy it now: it is shown only this once."_s.arg(name), false);
        self->reload();
        Q_EMIT self->keysChanged();
    });
}

void SettingsClientKeys::revokeSelected()
{
    forgetShownKey();
    const QList<QTreeWidgetItem *> selected = m_list->selectedItems();
    if (selected.isEmpty())
        return;
    const QString name = selected.first()->text(0);
    // The list first: the gateway stops accepting the key as soon as it is gone from there.
    const auto removed = secrets::ClientKeyCatalog(m_context.configDir).remove(name);
    if (!removed)
        return say(u"Not revoked: "_s + removed.error(), true);
    if (m_context.secrets)
        m_context.secrets->remove(secrets::ClientKeyCatalog::keychainId(name), [](Status) {});
    say(u"Key \"%1\" revoked."_s.arg(name), false);
    reload();
    Q_EMIT keysChanged();
}

QString SettingsClientKeys::shownKey() const
{
    return m_newKey->isHidden() ? QString() : m_newKey->text();
}

QString SettingsClientKeys::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void SettingsClientKeys::hideEvent(QHideEvent *event)
{
    forgetShownKey(); // leaving the page is the end of "shown once"
    QWidget::hideEvent(event);
}

void SettingsClientKeys::forgetShownKey()
{
    m_newKey->clear();
    m_newKey->hide();
    m_copy->hide();
}

void SettingsClientKeys::say(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"QLabel { color: #e0443e; }"_s : QString());
    m_message->setVisible(!text.isEmpty());
}

} // namespace quarry::ui
