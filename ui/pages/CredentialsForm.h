// The Credentials page's editor: a secret's name and either AWS keys or a Bedrock API key, masked.
#pragma once

#include "secrets/SecretCatalog.h"
#include "secrets/SecretId.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QRadioButton;
class QStackedWidget;

namespace quarry::ui {

class CredentialsForm : public QWidget
{
    Q_OBJECT
public:
    explicit CredentialsForm(QWidget *parent = nullptr);

    secrets::SecretId id() const;
    // The keys as the gateway reads them (the seed's forms): accessKey/secretKey[/sessionToken]
    // or Authorization.
    secrets::SecretData data() const;
    QString problem() const; // what is missing, or empty when the form can be saved
    // Prepares the form to replace an existing secret; values are never read back for display.
    void edit(const secrets::SecretCatalog::Entry &entry);
    void reset();                 // a new secret, all values cleared
    void focusName();             // the keyboard in Name, its text selected to be typed over
    // A new secret with this name (e.g. from "New secret…" on the Backends form).
    void startNew(const secrets::SecretId &id);
    // The secret a backend references and the keychain lacks: filled in unless a name was typed.
    void suggest(const secrets::SecretId &id);
    void setRevealed(bool shown);

private:
    QLineEdit *addSecretField(const QString &objectName, const QString &label);

    QLineEdit *m_namespace = nullptr;
    QLineEdit *m_name = nullptr;
    QRadioButton *m_awsKind = nullptr;
    QRadioButton *m_apiKeyKind = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_accessKey = nullptr;
    QLineEdit *m_secretKey = nullptr;
    QLineEdit *m_sessionToken = nullptr;
    QLineEdit *m_apiKey = nullptr;
    QCheckBox *m_reveal = nullptr;
    QList<QLineEdit *> m_secretFields;
};

} // namespace quarry::ui
