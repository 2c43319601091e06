// The Credentials page: secrets by name (key names only), add/edit into the keychain, test a backend.
#pragma once

#include "UiContext.h"
#include "client/ChatClient.h"
#include "config/Resources.h"
#include "secrets/SecretId.h"
#include "util/Result.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace quarry::ui {

class CredentialsForm;
class KeychainBanner;

class CredentialsPage : public QWidget
{
    Q_OBJECT
public:
    explicit CredentialsPage(UiContext &context, QWidget *parent = nullptr);
    ~CredentialsPage() override;

    KeychainBanner *keychainBanner() const { return m_keychain; } // nullptr without a gateway

public Q_SLOTS:
    void save();
    void removeSelected();
    void refresh();
    // Clears the form for a new secret named `id` and puts the cursor in its first value field.
    void startNewSecret(const secrets::SecretId &id);
    // Sends a one-token request through a route that uses the backend ("namespace/name").
    void testBackend(const QString &backend);

Q_SIGNALS:
    void saveFinished(bool ok, const QString &message);
    // ok: Amazon Bedrock accepted the credentials. A simulator answer is never ok: it checks nothing.
    void testFinished(const QString &backend, bool ok, const QString &message);

private:
    QWidget *buildSecrets();
    QWidget *buildBackends();
    void refreshSecrets();
    void refreshBackends();
    void addMissingBackends(const config::ResourceSet &resources);
    void suggestMissingSecret(const config::ResourceSet &resources);
    void editSelected();
    void afterWrite(const secrets::SecretId &id, const QStringList &keys, const Status &status);
    void onTestFinished(const client::ChatOutcome &outcome);
    QString routePathFor(const QString &backend) const;
    void showMessage(const QString &text, bool error);

    UiContext &m_context;
    KeychainBanner *m_keychain = nullptr;
    CredentialsForm *m_form = nullptr;
    QTableWidget *m_secrets = nullptr;
    QTableWidget *m_backends = nullptr;
    QPushButton *m_save = nullptr;
    bool m_refocusSave = false; // Save had the keyboard when it was pressed
    QLabel *m_message = nullptr;
    client::ChatClient *m_testClient = nullptr;
    QString m_testing; // the backend under test
    bool m_messageIsTest = false; // m_message holds a Test verdict (cleared when things change)
};

} // namespace quarry::ui
