// The Credentials page: keychain writes via SecretStore + SecretCatalog, backend credential sources, Test.
#include "pages/CredentialsPage.h"

#include "Confirm.h"
#include "CredentialsLink.h"
#include "config/ReferenceCheck.h"
#include "gateway/GatewayController.h"
#include "gateway/Router.h"
#include "pages/CredentialsForm.h"
#include "pages/KeychainBanner.h"
#include "secrets/SecretCatalog.h"
#include "secrets/SecretStore.h"

#include <QApplication>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

enum BackendColumn { BackendName, BackendAuth, BackendSource, BackendExpiry, BackendTest, BackendResult };

QString authText(const config::BackendAuth &auth)
{
    switch (auth.kind) {
    case config::BackendAuth::Kind::SecretRef: return u"secretRef: "_s + auth.secretName;
    case config::BackendAuth::Kind::AwsSecretRef: return u"aws.secretRef: "_s + auth.secretName;
    case config::BackendAuth::Kind::InlineKey: return QObject::tr("inline key in resources.yaml");
    case config::BackendAuth::Kind::DefaultChain: return QObject::tr("AWS default credential chain");
    }
    return {};
}

QTableWidgetItem *item(const QString &text)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    cell->setToolTip(text);
    return cell;
}

} // namespace

CredentialsPage::CredentialsPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_testClient(new client::ChatClient(this))
{
    if (m_context.gateway) // accepted whether or not client keys are required
        m_testClient->setClientKey(m_context.gateway->sessionKey());
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(buildSecrets());
    splitter->addWidget(buildBackends());
    auto *layout = new QVBoxLayout(this);
    if (m_context.gateway) {
        m_keychain = new KeychainBanner(m_context.gateway, this);
        layout->addWidget(m_keychain);
    }
    layout->addWidget(splitter);
    connect(m_testClient, &client::ChatClient::finished, this, &CredentialsPage::onTestFinished);
    if (m_context.gateway) {
        connect(m_context.gateway, &gateway::GatewayController::snapshotChanged, this, &CredentialsPage::refresh);
        connect(m_context.gateway, &gateway::GatewayController::stateChanged, this, &CredentialsPage::refresh);
    }
    refresh();
}

CredentialsPage::~CredentialsPage() = default;

QWidget *CredentialsPage::buildSecrets()
{
    auto *box = new QGroupBox(tr("Secrets (stored in the OS keychain; only key names are shown)"), this);
    m_secrets = new QTableWidget(0, 3, box);
    m_secrets->setObjectName(u"secrets"_s);
    m_secrets->setAccessibleName(tr("Secrets"));
    m_secrets->setHorizontalHeaderLabels({tr("Secret"), tr("Keys"), tr("Updated")});
    m_secrets->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_secrets->setSelectionMode(QAbstractItemView::SingleSelection);
    m_secrets->verticalHeader()->hide();
    // Names are what the user looks for: that column takes the room, the others fit their content;
    // a name still too long loses its middle (namespace and name end stay), the tooltip has it all.
    m_secrets->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_secrets->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_secrets->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_secrets->setTextElideMode(Qt::ElideMiddle);
    m_secrets->setWordWrap(false);
    m_form = new CredentialsForm(box);
    m_save = new QPushButton(tr("Save to keychain"), box);
    m_save->setObjectName(u"save"_s);
    auto *add = new QPushButton(tr("New"), box);
    add->setAccessibleName(tr("New secret"));
    add->setObjectName(u"newSecret"_s);
    auto *remove = new QPushButton(tr("Remove"), box);
    remove->setAccessibleName(tr("Remove secret"));
    m_message = new QLabel(box);
    m_message->setObjectName(u"message"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_save, &QPushButton::clicked, this, &CredentialsPage::save);
    connect(add, &QPushButton::clicked, m_form, [this] {
        m_secrets->clearSelection();
        m_form->reset();
        m_form->focusName(); // a new secret starts with its name
    });
    connect(remove, &QPushButton::clicked, this, &CredentialsPage::removeSelected);
    connect(m_secrets, &QTableWidget::itemSelectionChanged, this, &CredentialsPage::editSelected);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    buttons->addWidget(m_save);
    auto *editor = new QVBoxLayout;
    editor->addWidget(m_form);
    editor->addLayout(buttons);
    editor->addWidget(m_message);
    editor->addStretch(1);
    auto *layout = new QHBoxLayout(box);
    layout->addWidget(m_secrets, 1);
    layout->addLayout(editor, 1);
    return box;
}

QWidget *CredentialsPage::buildBackends()
{
    auto *box = new QGroupBox(tr("Backends and where their credentials come from"), this);
    m_backends = new QTableWidget(0, 6, box);
    m_backends->setObjectName(u"backends"_s);
    m_backends->setAccessibleName(tr("Backend credentials"));
    m_backends->setHorizontalHeaderLabels({tr("Backend"), tr("Auth"), tr("Credentials"), tr("Expires"), QString(), tr("Test result")});
    m_backends->setSelectionMode(QAbstractItemView::NoSelection);
    m_backends->verticalHeader()->hide();
    m_backends->horizontalHeader()->setStretchLastSection(true);
    // The short columns fit their content; the two long texts (where credentials come from, the
    // Test verdict) share the rest of the width and wrap, so neither is cut off or scrolled away.
    m_backends->setWordWrap(true);
    QHeaderView *header = m_backends->horizontalHeader();
    for (int column : {BackendName, BackendAuth, BackendExpiry, BackendTest})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(BackendSource, QHeaderView::Stretch);
    header->setSectionResizeMode(BackendResult, QHeaderView::Stretch);
    // Wrapped text needs height for the width it gets: measure again whenever a column changes.
    connect(header, &QHeaderView::sectionResized, m_backends, [this] { m_backends->resizeRowsToContents(); });
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_backends);
    return box;
}

void CredentialsPage::refresh()
{
    refreshSecrets();
    refreshBackends();
    // A test's verdict is about the credentials and backends it ran with; once they change it is stale.
    if (m_messageIsTest)
        showMessage(QString(), false);
}

void CredentialsPage::refreshSecrets()
{
    const auto entries = secrets::SecretCatalog(m_context.configDir).entries();
    m_secrets->setRowCount(0);
    for (const auto &entry : entries) {
        const int row = m_secrets->rowCount();
        m_secrets->insertRow(row);
        m_secrets->setItem(row, 0, item(entry.id.toString()));
        m_secrets->setItem(row, 1, item(entry.keys.join(u", "_s)));
        m_secrets->setItem(row, 2, item(QLocale().toString(entry.updated.toLocalTime(), QLocale::ShortFormat)));
    }
}

void CredentialsPage::refreshBackends()
{
    m_backends->setRowCount(0);
    if (!m_context.gateway)
        return;
    const auto snapshot = m_context.gateway->snapshot();
    const auto statuses = m_context.gateway->backendStatuses(); // sources and problems, no credentials
    // Core says "Store it with: quarry create secret …"; here the form for that is on screen.
    const QString addAbove = tr("Add it with the Secrets form above.");
    for (const auto &backend : snapshot->resources.backends) {
        const QString name = backend.meta.ns + u'/' + backend.meta.name;
        const auto target = statuses.constFind(name);
        QString source = tr("not resolved yet");
        QString expiry;
        if (target != statuses.constEnd() && target->simulated) {
            // The simulator's own key is no credential of the user's: say why it answers instead.
            source = (target->problem.isEmpty() ? tr("simulated")
                                                : CredentialsLink::plainText(target->problem, addAbove)) +
                     tr(" — the simulator answers; nothing is sent to AWS");
        } else if (target != statuses.constEnd()) {
            source = target->usable ? target->source : CredentialsLink::plainText(target->problem, addAbove);
            const QDateTime expiration = target->expiration;
            if (target->usable)
                expiry = expiration.isValid() ? QLocale().toString(expiration.toLocalTime(), QLocale::ShortFormat)
                                              : tr("never (long-term)");
        }
        const int row = m_backends->rowCount();
        m_backends->insertRow(row);
        m_backends->setItem(row, BackendName, item(name));
        m_backends->setItem(row, BackendAuth, item(authText(backend.policies.auth)));
        m_backends->setItem(row, BackendSource, item(source));
        m_backends->setItem(row, BackendExpiry, item(expiry));
        m_backends->setItem(row, BackendResult, item(QString()));
        // In a holder that centres it: a row grown by wrapped text must not stretch the button.
        auto *holder = new QWidget(m_backends);
        auto *holderLayout = new QVBoxLayout(holder);
        holderLayout->setContentsMargins(2, 2, 2, 2);
        auto *test = new QPushButton(tr("Test"), holder);
        test->setAccessibleName(tr("Test backend %1").arg(name));
        holderLayout->addWidget(test, 0, Qt::AlignCenter);
        connect(test, &QPushButton::clicked, this, [this, name] { testBackend(name); });
        m_backends->setCellWidget(row, BackendTest, holder);
    }
    addMissingBackends(snapshot->resources);
    suggestMissingSecret(snapshot->resources);
    // Long texts wrap in their cells (rows grow) rather than pushing Test and its result out of sight.
    m_backends->resizeRowsToContents();
}

void CredentialsPage::addMissingBackends(const config::ResourceSet &resources)
{
    // Routes can name a backend that does not exist: a row that says so, rather than a
    // credentials problem nobody could fix on this page.
    QSet<QString> shown;
    for (const auto &warning : config::ReferenceCheck::check(resources, {})) {
        if (warning.problem != config::ReferenceWarning::Problem::MissingBackend || shown.contains(warning.target))
            continue;
        shown.insert(warning.target);
        const int row = m_backends->rowCount();
        m_backends->insertRow(row);
        m_backends->setItem(row, BackendName, item(warning.target));
        m_backends->setItem(row, BackendAuth, item(QString()));
        m_backends->setItem(row, BackendSource,
                            item(tr("backend not found (route %1 sends requests to it)").arg(warning.ns + u'/' + warning.name)));
        m_backends->setItem(row, BackendExpiry, item(QString()));
        m_backends->setItem(row, BackendResult, item(QString()));
    }
}

// The first secret a backend names that the keychain does not hold is what the user came to create.
void CredentialsPage::suggestMissingSecret(const config::ResourceSet &resources)
{
    QSet<QString> known;
    for (const auto &entry : secrets::SecretCatalog(m_context.configDir).entries())
        known.insert(entry.id.toString());
    for (const auto &warning : config::ReferenceCheck::check(resources, known)) {
        if (warning.problem != config::ReferenceWarning::Problem::MissingSecret)
            continue;
        const qsizetype slash = warning.target.indexOf(u'/');
        m_form->suggest({warning.target.left(slash), warning.target.mid(slash + 1)});
        return;
    }
}

void CredentialsPage::editSelected()
{
    const auto rows = m_secrets->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const auto entries = secrets::SecretCatalog(m_context.configDir).entries();
    const QString id = m_secrets->item(rows.first().row(), 0)->text();
    for (const auto &entry : entries) {
        if (entry.id.toString() == id)
            m_form->edit(entry);
    }
}

void CredentialsPage::startNewSecret(const secrets::SecretId &id)
{
    m_secrets->clearSelection();
    m_form->startNew(id);
    showMessage(tr("New secret %1: enter its values and Save.").arg(id.toString()), false);
}

void CredentialsPage::save()
{
    const QString problem = m_form->problem();
    if (!problem.isEmpty())
        return showMessage(problem, true);
    if (!m_context.secrets)
        return showMessage(tr("No keychain is available to store the secret in."), true);
    const secrets::SecretId id = m_form->id();
    const secrets::SecretData data = m_form->data();
    // Disabling the focused button moves the keyboard to the next one (New): it comes back after.
    m_refocusSave = m_save->hasFocus();
    m_save->setEnabled(false);
    showMessage(tr("Saving %1 to the keychain…").arg(id.toString()), false);
    QPointer<CredentialsPage> self(this);
    m_context.secrets->write(id, data, [self, id, keys = data.keys()](Status status) {
        if (self)
            self->afterWrite(id, keys, status);
    });
}

void CredentialsPage::afterWrite(const secrets::SecretId &id, const QStringList &keys, const Status &status)
{
    m_save->setEnabled(true);
    if (std::exchange(m_refocusSave, false) && isAncestorOf(QApplication::focusWidget()))
        m_save->setFocus(Qt::OtherFocusReason);
    if (!status.ok()) {
        // Never fall back to another place: a secret that isn't in the keychain isn't stored.
        const QString text = tr("Could not store %1 in the OS keychain: %2").arg(id.toString(), status.error());
        showMessage(text, true);
        Q_EMIT saveFinished(false, text);
        return;
    }
    const Status listed = secrets::SecretCatalog(m_context.configDir).put({id, keys, QDateTime::currentDateTimeUtc()});
    const QString text = listed.ok()
                             ? tr("Saved %1 (%2) in the OS keychain.").arg(id.toString(), keys.join(u", "_s))
                             : tr("Saved %1 in the keychain, but the list of secrets could not be updated: %2")
                                   .arg(id.toString(), listed.error());
    showMessage(text, !listed.ok());
    m_form->reset();
    refresh(); // and the backends: their Test results were about the old values
    Q_EMIT saveFinished(listed.ok(), text);
}

void CredentialsPage::removeSelected()
{
    const auto rows = m_secrets->selectionModel()->selectedRows();
    if (rows.isEmpty() || !m_context.secrets)
        return;
    const QString text = m_secrets->item(rows.first().row(), 0)->text();
    const secrets::SecretId id{text.section(u'/', 0, 0), text.section(u'/', 1)};
    // The keychain keeps no copy: a slipped click must not cost the user their keys.
    if (!confirm(this, u"confirmRemoveSecret"_s, tr("Remove secret"),
                 tr("Remove %1 from the OS keychain?").arg(id.toString()),
                 tr("Backends that name it lose these credentials. The values cannot be recovered.")))
        return;
    QPointer<CredentialsPage> self(this);
    m_context.secrets->remove(id, [self, id](Status status) {
        if (!self)
            return;
        if (!status.ok())
            return self->showMessage(tr("Could not remove %1: %2").arg(id.toString(), status.error()), true);
        secrets::SecretCatalog(self->m_context.configDir).remove(id);
        self->m_form->reset(); // no "enter the new value" for a secret that is gone
        self->showMessage(tr("Removed %1.").arg(id.toString()), false);
        self->refresh();
    });
}

QString CredentialsPage::routePathFor(const QString &backend) const
{
    return gateway::Router::pathTo(m_context.gateway->snapshot()->resources, backend);
}

void CredentialsPage::testBackend(const QString &backend)
{
    const QString address = m_context.gateway ? m_context.gateway->address() : QString();
    const QString path = address.isEmpty() ? QString() : routePathFor(backend);
    if (path.isEmpty()) {
        const QString why = address.isEmpty() ? tr("The gateway is not running.")
                                              : tr("No route sends requests to %1.").arg(backend);
        Q_EMIT testFinished(backend, false, why);
        showMessage(why, true);
        m_messageIsTest = true;
        return;
    }
    client::ChatRequest request;
    request.url = QUrl(u"http://"_s + address + path);
    request.messages = {{u"user"_s, u"Reply with one word."_s, {}}};
    request.maxTokens = 1;
    request.stream = false;
    m_testing = backend;
    showMessage(tr("Testing %1 through %2…").arg(backend, path), false);
    m_messageIsTest = true;
    m_testClient->send(request);
}

void CredentialsPage::onTestFinished(const client::ChatOutcome &outcome)
{
    const QString backend = std::exchange(m_testing, QString());
    // Only Amazon Bedrock's own answer checks credentials; the gateway says who answered.
    const bool simulator = outcome.upstream == u"simulator"_s;
    const bool bedrock = outcome.upstream == u"bedrock"_s;
    const bool checked = outcome.ok() && bedrock;
    QString text;
    if (outcome.ok() && simulator)
        text = tr("The simulator answered — no AWS credentials were checked.");
    else if (checked)
        text = tr("OK — Amazon Bedrock accepted backend %1's credentials (HTTP %2).").arg(backend).arg(outcome.status);
    else if (outcome.ok())
        text = tr("Answered (HTTP %1), but the gateway did not say by whom — no credentials were checked.")
                   .arg(outcome.status);
    else if (simulator || bedrock)
        text = tr("Failed (HTTP %1, from %2): %3")
                   .arg(outcome.status)
                   .arg(simulator ? tr("the simulator") : tr("Amazon Bedrock"), outcome.error);
    else
        text = tr("Failed (HTTP %1): %2").arg(outcome.status).arg(outcome.error);
    for (int row = 0; row < m_backends->rowCount(); ++row) {
        if (m_backends->item(row, BackendName)->text() == backend) {
            m_backends->setItem(row, BackendResult, item(text));
            m_backends->resizeRowToContents(row);
        }
    }
    showMessage(text, !outcome.ok());
    m_messageIsTest = true;
    Q_EMIT testFinished(backend, checked, text);
}

void CredentialsPage::showMessage(const QString &text, bool error)
{
    m_messageIsTest = false; // callers that show a test's verdict say so after this
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #e0443e; font-weight: bold;"_s : QString());
}

} // namespace quarry::ui
