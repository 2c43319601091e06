// spec.policies.tls on the Backends form.
#include "editors/BackendTlsFields.h"

#include "editors/Picker.h"

#include <QComboBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLineEdit>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {
// insecureSkipVerify's CRD values; the first entry is "not set".
const QStringList kSkipVerifyValues{QString(), u"Hostname"_s, u"All"_s};

// The CRD allows at most one CA reference.
QString caName(const QJsonObject &tls)
{
    return tls.value(u"caCertificateRefs"_s).toArray().at(0).toObject().value(u"name"_s).toString();
}
} // namespace

BackendTlsFields::BackendTlsFields(QFormLayout *layout, QWidget *parent)
    : QObject(parent)
    , m_ca(new Picker(u"CA certificate ConfigMap"_s, parent))
    , m_sni(new QLineEdit(parent))
    , m_skipVerify(new QComboBox(parent))
{
    m_ca->lineEdit()->setPlaceholderText(u"system trust store"_s);
    m_ca->setToolTip(u"A ConfigMap in this namespace whose ca.crt holds the CA bundle"_s);
    m_sni->setPlaceholderText(u"the host name"_s);
    m_sni->setAccessibleName(u"TLS SNI"_s);
    m_skipVerify->addItems({u"Verify the certificate"_s, u"Skip the host name check (Hostname)"_s,
                            u"Skip all checks (All, insecure)"_s});
    m_skipVerify->setAccessibleName(u"Skip TLS verification"_s);
    m_skipVerify->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_skipVerify->setMinimumContentsLength(14);
    layout->addRow(u"CA &bundle"_s, m_ca);
    layout->addRow(u"TLS S&NI"_s, m_sni);
    layout->addRow(u"TLS &verify"_s, m_skipVerify);
    connect(m_ca, &Picker::edited, this, &BackendTlsFields::edited);
    connect(m_sni, &QLineEdit::textEdited, this, &BackendTlsFields::edited);
    connect(m_skipVerify, &QComboBox::activated, this, &BackendTlsFields::edited);
}

QWidget *BackendTlsFields::caField() const
{
    return m_ca;
}

QWidget *BackendTlsFields::sniField() const
{
    return m_sni;
}

QWidget *BackendTlsFields::skipVerifyField() const
{
    return m_skipVerify;
}

void BackendTlsFields::setConfigMaps(const QStringList &names)
{
    m_ca->setChoices(names);
}

void BackendTlsFields::setTls(const QJsonObject &tls)
{
    m_base = tls;
    m_ca->setText(caName(tls));
    m_sni->setText(tls.value(u"sni"_s).toString());
    m_skipVerify->setCurrentIndex(std::max(0, int(kSkipVerifyValues.indexOf(tls.value(u"insecureSkipVerify"_s).toString()))));
}

QJsonObject BackendTlsFields::tls() const
{
    QJsonObject tls = m_base;
    const QString ca = m_ca->text();
    if (ca.isEmpty())
        tls.remove(u"caCertificateRefs"_s);
    else if (ca != caName(m_base))
        tls.insert(u"caCertificateRefs"_s, QJsonArray{QJsonObject{{u"name"_s, ca}}});
    const QString sni = m_sni->text().trimmed();
    if (sni.isEmpty())
        tls.remove(u"sni"_s);
    else
        tls.insert(u"sni"_s, sni);
    const QString skip = kSkipVerifyValues.value(m_skipVerify->currentIndex());
    if (skip.isEmpty())
        tls.remove(u"insecureSkipVerify"_s);
    else
        tls.insert(u"insecureSkipVerify"_s, skip);
    return tls;
}

} // namespace quarry::ui
