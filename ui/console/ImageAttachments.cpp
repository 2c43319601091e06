// Images for the Console's next prompt, kept as data: URLs (see ImageAttachments.h).
#include "console/ImageAttachments.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace quarry::ui {

QString imageMediaType(const QByteArray &bytes)
{
    // The formats' signatures: PNG (RFC 2083), JPEG's SOI marker, GIF87a/89a, and WebP's RIFF
    // container (developers.google.com/speed/webp/docs/riff_container).
    if (bytes.startsWith("\x89PNG\r\n\x1a\n"))
        return u"image/png"_s;
    if (bytes.startsWith("\xff\xd8\xff"))
        return u"image/jpeg"_s;
    if (bytes.startsWith("GIF87a") || bytes.startsWith("GIF89a"))
        return u"image/gif"_s;
    if (bytes.startsWith("RIFF") && bytes.mid(8, 4) == "WEBP")
        return u"image/webp"_s;
    return {};
}

ImageAttachments::ImageAttachments(QWidget *parent) : QWidget(parent)
{
    m_attach = new QPushButton(tr("Attach image…"), this);
    m_attach->setObjectName(u"attachImage"_s);
    m_attach->setToolTip(tr("PNG, JPEG, GIF or WebP, up to %1 each; sent with the next prompt")
                             .arg(QLocale().formattedDataSize(MaxImageBytes, 2, QLocale::DataSizeSIFormat)));
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"attachments"_s);
    m_summary->setWordWrap(true);
    // The names wrap into whatever width is left: they never widen the window.
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_remove = new QToolButton(this);
    m_remove->setObjectName(u"removeAttachments"_s);
    m_remove->setText(tr("Remove"));
    m_remove->setToolTip(tr("Send the next prompt without these images"));
    connect(m_attach, &QPushButton::clicked, this, &ImageAttachments::chooseFiles);
    connect(m_remove, &QToolButton::clicked, this, &ImageAttachments::clear);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_attach);
    layout->addWidget(m_summary, 1);
    layout->addWidget(m_remove);
    showAttached();
}

void ImageAttachments::chooseFiles()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Attach images"), QString(), tr("Images (*.png *.jpg *.jpeg *.gif *.webp);;All files (*)"));
    for (const QString &path : paths) {
        if (!addFile(path))
            break;
    }
}

bool ImageAttachments::addFile(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    if (m_dataUrls.size() >= MaxImages) {
        refuse(tr("%1 was not attached: a request carries at most %2 images.").arg(name).arg(MaxImages));
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        refuse(tr("%1 could not be read: %2").arg(name, file.errorString()));
        return false;
    }
    if (file.size() > MaxImageBytes) {
        const QLocale locale;
        refuse(tr("%1 is %2; Bedrock takes images up to %3.")
                   .arg(name, locale.formattedDataSize(file.size(), 2, QLocale::DataSizeSIFormat),
                        locale.formattedDataSize(MaxImageBytes, 2, QLocale::DataSizeSIFormat)));
        return false;
    }
    const QByteArray bytes = file.readAll();
    const QString mediaType = imageMediaType(bytes);
    if (mediaType.isEmpty()) {
        refuse(tr("%1 is not a PNG, JPEG, GIF or WebP image, the formats Bedrock reads.").arg(name));
        return false;
    }
    m_dataUrls.append(u"data:%1;base64,%2"_s.arg(mediaType, QString::fromLatin1(bytes.toBase64())));
    m_names.append(name);
    m_problem.clear();
    showAttached();
    Q_EMIT changed();
    return true;
}

QString ImageAttachments::problem() const
{
    return m_problem;
}

void ImageAttachments::clear()
{
    m_dataUrls.clear();
    m_names.clear();
    m_problem.clear();
    showAttached();
    Q_EMIT changed();
}

void ImageAttachments::refuse(const QString &problem)
{
    m_problem = problem;
    showAttached();
}

void ImageAttachments::showAttached()
{
    QString text = m_names.isEmpty() ? QString() : tr("Attached: %1").arg(m_names.join(u", "_s));
    if (!m_problem.isEmpty())
        text = text.isEmpty() ? m_problem : text + u" · "_s + m_problem;
    m_summary->setText(text);
    m_remove->setVisible(!m_names.isEmpty());
}

} // namespace quarry::ui
