// The form <-> YAML editor behind the Backends and Routes pages.
#include "editors/ResourceEditor.h"

#include "CredentialsLink.h"
#include "config/ManifestParser.h"
#include "config/ManifestWriter.h"
#include "editors/ResourceForm.h"
#include "editors/YamlEdit.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace quarry::ui {

namespace {

QLabel *errorLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(u"QLabel { color: #e0443e; }"_s);
    label->setAccessibleName(name);
    label->hide();
    return label;
}

QString kindName(ResourceKind kind)
{
    return kind == ResourceKind::Backend ? u"AgentgatewayBackend"_s : u"HTTPRoute"_s;
}

} // namespace

ResourceEditor::ResourceEditor(ResourceForm *form, QWidget *parent)
    : QWidget(parent), m_form(form), m_yaml(new YamlEdit(form->kind(), this)),
      m_formError(errorLabel(this, u"Form error"_s)), m_yamlError(errorLabel(this, u"YAML error"_s)),
      m_warning(errorLabel(this, u"Warnings"_s)), m_yamlSettle(new QTimer(this))
{
    auto *formSide = new QWidget(this);
    auto *formLayout = new QVBoxLayout(formSide);
    formLayout->setContentsMargins(0, 0, 6, 0);
    form->setParent(formSide);
    formLayout->addWidget(form);
    formLayout->addWidget(m_formError);
    m_warning->setStyleSheet(u"QLabel { color: #b07400; }"_s); // amber: applies, but will not work yet
    m_warning->setTextFormat(Qt::RichText); // a missing secret's advice is a link to the Credentials page
    m_warning->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(m_warning, &QLabel::linkActivated, this, [this](const QString &link) {
        if (const auto secret = CredentialsLink::secretOf(link))
            Q_EMIT secretRequested(*secret);
    });
    formLayout->addWidget(m_warning);
    formLayout->addStretch(1);

    auto *yamlSide = new QWidget(this);
    auto *yamlLayout = new QVBoxLayout(yamlSide);
    yamlLayout->setContentsMargins(6, 0, 0, 0);
    m_yaml->setAccessibleName(u"YAML manifest"_s);
    auto *yamlHeading = new QLabel(u"YAML (as `quarry apply -f` takes it)"_s, yamlSide);
    yamlHeading->setWordWrap(true); // narrow windows: two lines, not a wider page
    yamlLayout->addWidget(yamlHeading);
    yamlLayout->addWidget(m_yaml, 1);
    yamlLayout->addWidget(m_yamlError);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(formSide);
    splitter->addWidget(yamlSide);
    // The form's tables (route matches, backends, filters) need the width more than the YAML,
    // whose deepest lines of a usual resource fit in about 40 characters.
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({520, 400});
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_yamlSettle->setSingleShot(true);
    m_yamlSettle->setInterval(kYamlSettleMs);
    connect(m_yamlSettle, &QTimer::timeout, this, &ResourceEditor::syncFromYaml);
    connect(m_yaml, &QPlainTextEdit::textChanged, this, [this] {
        if (m_writingYaml)
            return;
        updateModified();
        m_yamlSettle->start();
    });
    connect(m_form, &ResourceForm::edited, this, &ResourceEditor::onFormEdited);
}

void ResourceEditor::setResource(const Resource &resource)
{
    m_yamlSettle->stop();
    m_form->setResource(resource);
    m_current = resource;
    writeYaml(ManifestWriter::toYaml({resource}));
    setError({}, false);
    setModified(false);
    Q_EMIT currentChanged();
}

ResourceEditor::Draft ResourceEditor::draft() const
{
    return {m_form->resource(), m_yaml->toPlainText()};
}

void ResourceEditor::restore(const Draft &draft)
{
    // The form first: when the YAML does not parse, the form keeps showing the values the user
    // typed (the ones the error is about), not the stored resource's.
    m_form->setResource(draft.form);
    writeYaml(draft.yaml.toUtf8());
    updateModified(); // against the stored resource's text, when that was loaded first
    syncFromYaml();
}

std::optional<Resource> ResourceEditor::resource() const
{
    if (m_yamlSettle->isActive() || !m_error.isEmpty())
        return std::nullopt;
    return m_current;
}

void ResourceEditor::setModified(bool modified)
{
    if (modified)
        m_savedYaml.reset();
    else
        m_savedYaml = m_yaml->toPlainText();
    updateModified();
}

void ResourceEditor::updateModified()
{
    const bool modified = !m_savedYaml || m_yaml->toPlainText() != *m_savedYaml;
    if (m_modified == modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

void ResourceEditor::showError(const QString &message)
{
    setError(message, false);
}

void ResourceEditor::setWarnings(const QStringList &warnings)
{
    QStringList lines;
    for (const QString &warning : warnings)
        lines.append(u"Warning: "_s + CredentialsLink::richText(warning));
    m_warning->setText(lines.join(u"<br>"_s));
    m_warning->setVisible(!lines.isEmpty());
}

void ResourceEditor::onFormEdited()
{
    m_yamlSettle->stop();
    const Resource built = m_form->resource();
    // Include: an inline key the user pasted in this session survives a form edit; saving moves it to
    // the keychain, and the stored resource shown afterwards holds only its reference.
    const QByteArray yaml = ManifestWriter::toYaml({built}, ManifestWriter::SecretValues::Include);
    writeYaml(yaml);
    updateModified(); // a value typed and then put back is no change
    // The writer emits whatever the form holds; the parser says what `quarry apply` would.
    const auto parsed = parseManifests(yaml);
    m_current = parsed.ok() && parsed->size() == 1 ? std::optional<Resource>(parsed->first()) : std::nullopt;
    setError(parsed.ok() ? QString() : parsed.error(), false);
    Q_EMIT currentChanged();
}

void ResourceEditor::syncFromYaml()
{
    m_yamlSettle->stop();
    const auto parsed = parseManifests(m_yaml->toPlainText().toUtf8());
    if (!parsed.ok()) {
        m_current.reset();
        setError(parsed.error(), true);
        Q_EMIT currentChanged();
        return;
    }
    if (parsed->size() != 1 || parsed->first().kind() != m_form->kind()) {
        m_current.reset();
        setError(u"expected exactly one %1 here"_s.arg(kindName(m_form->kind())), true);
        Q_EMIT currentChanged();
        return;
    }
    m_current = parsed->first();
    m_form->setResource(*m_current);
    setError({}, true);
    Q_EMIT currentChanged();
}

void ResourceEditor::setError(const QString &message, bool fromYaml)
{
    const bool wasValid = m_error.isEmpty();
    m_error = message;
    const bool atField = !message.isEmpty() && m_form->showError(message);
    if (message.isEmpty())
        m_form->clearErrors();
    // The message is written out once, next to what was typed: under the YAML when the YAML was
    // being edited (or no field matches), else under the form. The marked field and the underlined
    // YAML line carry it as their tooltip.
    const bool underYaml = !message.isEmpty() && (fromYaml || !atField);
    m_formError->setText(message);
    m_formError->setVisible(atField && !underYaml);
    m_yamlError->setText(message);
    m_yamlError->setVisible(underYaml);
    m_yaml->markError(message); // and underlined at its line in the YAML
    if (wasValid != m_error.isEmpty())
        Q_EMIT validityChanged(m_error.isEmpty());
}

void ResourceEditor::writeYaml(const QByteArray &yaml)
{
    m_writingYaml = true;
    m_yaml->setPlainText(QString::fromUtf8(yaml));
    m_writingYaml = false;
}

} // namespace quarry::ui
