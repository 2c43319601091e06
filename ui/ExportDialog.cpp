// Export for a cluster: target, secrets mode, namespace, preview, Save…/Copy.
#include "ExportDialog.h"

#include "UiContext.h"
#include "config/ConfigStore.h"
#include "config/export/ClusterExporter.h"
#include "secrets/SecretCatalog.h"

#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

ExportDialog::ExportDialog(UiContext &context, QWidget *parent) : QDialog(parent), m_context(context)
{
    setWindowTitle(u"Export for a cluster"_s);
    m_target = new QComboBox(this);
    m_target->addItem(u"agentgateway (agentgateway.dev AgentgatewayBackend)"_s, u"agentgateway"_s);
    m_target->addItem(u"kgateway v2.2 (gateway.kgateway.dev AgentgatewayBackend)"_s, u"kgateway-v2.2"_s);
    m_target->addItem(u"kgateway v2.1 (Backend, type AI)"_s, u"kgateway-v2.1"_s);
    m_secrets = new QComboBox(this);
    m_secrets->addItem(u"Secret manifests with placeholders"_s, u"manifest"_s);
    m_secrets->addItem(u"kubectl create secret commands"_s, u"kubectl"_s);
    m_namespace = new QLineEdit(this);
    m_namespace->setPlaceholderText(u"each resource keeps its own"_s);

    auto *form = new QFormLayout;
    form->addRow(u"&Target:"_s, m_target);
    form->addRow(u"S&ecrets:"_s, m_secrets);
    form->addRow(u"&Namespace:"_s, m_namespace);

    m_preview = new QPlainTextEdit(this);
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_save = buttons->addButton(u"&Save…"_s, QDialogButtonBox::ActionRole);
    m_copy = buttons->addButton(u"&Copy"_s, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &ExportDialog::save);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_preview->toPlainText()); });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(760, 620);

    connect(m_target, &QComboBox::currentIndexChanged, this, &ExportDialog::refresh);
    connect(m_secrets, &QComboBox::currentIndexChanged, this, &ExportDialog::refresh);
    connect(m_namespace, &QLineEdit::textChanged, this, &ExportDialog::refresh);
    connect(m_context.config, &config::ConfigStore::changed, this, &ExportDialog::refresh);
    refresh();
}

void ExportDialog::open(UiContext &context, QWidget *parent)
{
    static QPointer<ExportDialog> current;
    if (!current) {
        current = new ExportDialog(context, parent);
        current->setAttribute(Qt::WA_DeleteOnClose);
    }
    current->show();
    current->raise();
    current->activateWindow();
}

void ExportDialog::refresh()
{
    config::ExportOptions options;
    options.target = config::parseExportTarget(m_target->currentData().toString())
                         .value_or(config::ExportTarget::Agentgateway);
    options.secrets = m_secrets->currentData().toString() == "kubectl"_L1
                          ? config::ExportOptions::Secrets::Kubectl
                          : config::ExportOptions::Secrets::Manifest;
    // A namespace that is not a DNS label would make manifests no cluster accepts: keep each one's.
    static const QRegularExpression kLabel(u"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"_s);
    const QString ns = m_namespace->text().trimmed();
    const bool nsValid = ns.isEmpty() || kLabel.match(ns).hasMatch();
    if (nsValid)
        options.ns = ns;
    // Key names only: the catalogue never holds values.
    for (const auto &entry : secrets::SecretCatalog(m_context.configDir).entries())
        options.secretKeys.insert(entry.id.toString(), entry.keys);
    const config::ExportedManifests manifests =
        config::ClusterExporter::run(m_context.config->snapshot(), options);
    m_preview->setPlainText(QString::fromUtf8(manifests.yaml()));
    QString summary =
        u"%1 manifests. Secrets get placeholders, never values."_s.arg(manifests.documents.size());
    if (!manifests.warnings.isEmpty())
        summary +=
            u" %1 desktop-only or unsupported settings were left out: see the top of the preview."_s.arg(
                manifests.warnings.size());
    if (!nsValid)
        summary =
            u"\"%1\" is not a namespace name (lower-case letters, digits and '-'); each resource keeps its own. "_s
                .arg(ns) +
            summary;
    m_summary->setText(summary);
}

bool ExportDialog::saveTo(const QString &path)
{
    QSaveFile file(path);
    const QByteArray text = m_preview->toPlainText().toUtf8();
    if (file.open(QIODevice::WriteOnly) && file.write(text) == text.size() && file.commit()) {
        m_summary->setText(u"Saved to %1."_s.arg(path));
        return true;
    }
    m_summary->setText(u"Could not save %1: %2"_s.arg(path, file.errorString()));
    return false;
}

void ExportDialog::save()
{
    const QString name = u"quarry-%1.yaml"_s.arg(m_target->currentData().toString());
    const QString path =
        QFileDialog::getSaveFileName(this, u"Save the manifests"_s, name, u"YAML (*.yaml *.yml)"_s);
    if (!path.isEmpty())
        saveTo(path);
}

} // namespace quarry::ui
