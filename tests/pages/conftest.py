"""Factories and files for the pages tests."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pages.models import Page, PageImage


def make_png(width: int = 4, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = make_png()


def png_file(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    slug = factory.Sequence(lambda n: f"page-{n}")
    title_en = factory.Sequence(lambda n: f"Page {n}")
    title_ar = factory.Sequence(lambda n: f"صفحة {n}")
    summary_en = "A short summary."
    body_en = "Some **text**."
    body_ar = "نص **ما**."
    is_published = True


class PageImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PageImage

    page = factory.SubFactory(PageFactory)
    image = factory.LazyFunction(png_file)
    content_type = "image/png"
    alt_en = "A health post"
    alt_ar = "نقطة صحية"
