// The About box.
#include "AboutDialog.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(u"About Quarry"_s);
    auto *layout = new QVBoxLayout(this);

    m_heading = new QLabel(this);
    m_heading->setTextFormat(Qt::RichText);
    m_heading->setText(u"<h2>Quarry %1</h2><p>Local AI gateway for Amazon Bedrock.</p>"
                       "<p>Licensed under the Apache License 2.0. Built with Qt %2 (LGPLv3).</p>"_s.arg(
                           QStringLiteral(QUARRY_VERSION), QString::fromLatin1(qVersion())));
    layout->addWidget(m_heading);

    // The same file the packages install beside LICENSE, so the box and the packages cannot disagree.
    m_notices = new QTextBrowser(this);
    m_notices->setOpenExternalLinks(true);
    QFile file(u":/quarry/THIRD_PARTY_NOTICES.md"_s);
    if (file.open(QIODevice::ReadOnly))
        m_notices->setMarkdown(QString::fromUtf8(file.readAll()));
    layout->addWidget(m_notices, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(720, 520);
}

} // namespace quarry::ui
