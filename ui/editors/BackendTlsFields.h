// The TLS part of a backend (spec.policies.tls): CA bundle ConfigMap, SNI and skip-verify. Keys the
// fields do not show (alpnProtocols, mtlsCertificateRef, verifySubjectAltNames) are kept.
#pragma once

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLineEdit;

namespace quarry::ui {

class Picker;

class BackendTlsFields : public QObject
{
    Q_OBJECT
public:
    // Adds its rows to `layout`; the widgets belong to `parent`.
    BackendTlsFields(QFormLayout *layout, QWidget *parent);

    void setTls(const QJsonObject &tls);
    QJsonObject tls() const;
    void setConfigMaps(const QStringList &names);

    QWidget *caField() const;
    QWidget *sniField() const;
    QWidget *skipVerifyField() const;

Q_SIGNALS:
    void edited();

private:
    QJsonObject m_base;
    Picker *m_ca = nullptr;
    QLineEdit *m_sni = nullptr;
    QComboBox *m_skipVerify = nullptr;
};

} // namespace quarry::ui
