// Builds and reads the secret editor; values stay masked unless the user asks to see them.
#include "pages/CredentialsForm.h"

#include "config/Resources.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRadioButton>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

CredentialsForm::CredentialsForm(QWidget *parent) : QWidget(parent)
{
    m_namespace = new QLineEdit(config::kDefaultNamespace, this);
    m_namespace->setObjectName(u"secretNamespace"_s);
    m_namespace->setAccessibleName(tr("Secret namespace"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(u"secretName"_s);
    m_name->setAccessibleName(tr("Secret name"));
    m_name->setPlaceholderText(u"bedrock-secret"_s);
    m_awsKind = new QRadioButton(tr("AWS access key"), this);
    m_awsKind->setObjectName(u"awsKind"_s);
    m_apiKeyKind = new QRadioButton(tr("Bedrock API key"), this);
    m_apiKeyKind->setObjectName(u"apiKeyKind"_s);
    auto *kinds = new QButtonGroup(this);
    kinds->addButton(m_awsKind, 0);
    kinds->addButton(m_apiKeyKind, 1);
    m_awsKind->setChecked(true);

    m_pages = new QStackedWidget(this);
    auto *awsPage = new QWidget(m_pages);
    auto *awsForm = new QFormLayout(awsPage);
    m_accessKey = addSecretField(u"accessKey"_s, tr("Access key ID"));
    m_secretKey = addSecretField(u"secretKey"_s, tr("Secret access key"));
    m_sessionToken = addSecretField(u"sessionToken"_s, tr("Session token (optional)"));
    awsForm->addRow(tr("Access key ID"), m_accessKey);
    awsForm->addRow(tr("Secret access key"), m_secretKey);
    awsForm->addRow(tr("Session token"), m_sessionToken);
    auto *apiPage = new QWidget(m_pages);
    auto *apiForm = new QFormLayout(apiPage);
    m_apiKey = addSecretField(u"apiKey"_s, tr("Bedrock API key"));
    apiForm->addRow(tr("API key"), m_apiKey);
    m_pages->addWidget(awsPage);
    m_pages->addWidget(apiPage);
    connect(kinds, &QButtonGroup::idClicked, m_pages, &QStackedWidget::setCurrentIndex);

    m_reveal = new QCheckBox(tr("Show values"), this);
    m_reveal->setObjectName(u"reveal"_s);
    connect(m_reveal, &QCheckBox::toggled, this, &CredentialsForm::setRevealed);

    auto *kindRow = new QHBoxLayout;
    kindRow->addWidget(m_awsKind);
    kindRow->addWidget(m_apiKeyKind);
    kindRow->addStretch(1);
    auto *form = new QFormLayout;
    form->addRow(tr("&Namespace"), m_namespace);
    form->addRow(tr("N&ame"), m_name);
    form->addRow(tr("Kind"), kindRow);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_pages);
    layout->addWidget(m_reveal);
}

QLineEdit *CredentialsForm::addSecretField(const QString &objectName, const QString &label)
{
    auto *field = new QLineEdit(this);
    field->setObjectName(objectName);
    field->setAccessibleName(label);
    field->setEchoMode(QLineEdit::Password);
    field->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhSensitiveData);
    m_secretFields.append(field);
    return field;
}

secrets::SecretId CredentialsForm::id() const
{
    return {m_namespace->text().trimmed(), m_name->text().trimmed()};
}

secrets::SecretData CredentialsForm::data() const
{
    secrets::SecretData data;
    if (m_apiKeyKind->isChecked()) {
        data.insert(u"Authorization"_s, m_apiKey->text().trimmed().toUtf8());
        return data;
    }
    data.insert(u"accessKey"_s, m_accessKey->text().trimmed().toUtf8());
    data.insert(u"secretKey"_s, m_secretKey->text().trimmed().toUtf8());
    if (!m_sessionToken->text().trimmed().isEmpty())
        data.insert(u"sessionToken"_s, m_sessionToken->text().trimmed().toUtf8());
    return data;
}

QString CredentialsForm::problem() const
{
    if (!id().isValid())
        return tr("Give the secret a namespace and a name (without '/').");
    if (m_apiKeyKind->isChecked())
        return m_apiKey->text().trimmed().isEmpty() ? tr("Enter the Bedrock API key.") : QString();
    if (m_accessKey->text().trimmed().isEmpty() || m_secretKey->text().trimmed().isEmpty())
        return tr("Enter both the access key ID and the secret access key.");
    return {};
}

void CredentialsForm::edit(const secrets::SecretCatalog::Entry &entry)
{
    reset();
    m_namespace->setText(entry.id.ns);
    m_name->setText(entry.id.name);
    const bool apiKey = entry.keys.contains(u"Authorization"_s);
    (apiKey ? m_apiKeyKind : m_awsKind)->setChecked(true);
    m_pages->setCurrentIndex(apiKey ? 1 : 0);
    // Only the values it holds: a session token never saved is not there to replace.
    for (QLineEdit *field : std::as_const(m_secretFields)) {
        const QString key = field == m_apiKey ? u"Authorization"_s : field->objectName();
        field->setPlaceholderText(entry.keys.contains(key) ? tr("enter the new value") : QString());
    }
}

void CredentialsForm::suggest(const secrets::SecretId &id)
{
    if (!m_name->text().trimmed().isEmpty())
        return;
    m_namespace->setText(id.ns);
    m_name->setText(id.name);
}

void CredentialsForm::startNew(const secrets::SecretId &id)
{
    reset();
    m_namespace->setText(id.ns);
    m_name->setText(id.name);
}

void CredentialsForm::focusName()
{
    m_name->setFocus(Qt::OtherFocusReason);
    m_name->selectAll();
}

void CredentialsForm::reset()
{
    for (QLineEdit *field : std::as_const(m_secretFields)) {
        field->clear();
        field->setPlaceholderText(QString());
    }
    m_reveal->setChecked(false);
}

void CredentialsForm::setRevealed(bool shown)
{
    for (QLineEdit *field : std::as_const(m_secretFields))
        field->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
}

} // namespace quarry::ui
