"""API views: validate input, call one service or selector, serialize the result."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors
from cases.access import Capability, TreeAccess
from cases.api import serializers as s
from cases.api.base import TreeAPIView, validated_input
from cases.api.genealogy_views import PersonSearchMixin
from cases.errors import NotFound
from cases.models import ChildLink, Face, Family, Membership
from cases.services import (
    families as family_services,
    persons as person_services,
    photos as photo_services,
    trees as tree_services,
)


class TreeListView(APIView):
    @extend_schema(responses=s.TreeSerializer(many=True))
    def get(self, request: Request) -> Response:
        trees = selectors.tree_list_for_user(user=request.user)
        roles = selectors.membership_roles(user=request.user)
        return Response(s.TreeSerializer(trees, many=True, context={"roles": roles}).data)

    @extend_schema(request=s.TreeCreateSerializer, responses={201: s.TreeSerializer})
    def post(self, request: Request) -> Response:
        data = validated_input(s.TreeCreateSerializer, request.data)
        tree = tree_services.tree_create(owner=request.user, **data)
        roles = selectors.membership_roles(user=request.user)
        return Response(s.TreeSerializer(tree, context={"roles": roles}).data, status=status.HTTP_201_CREATED)


class TreeDetailView(TreeAPIView):
    @extend_schema(responses=s.TreeSerializer)
    def get(self, request: Request, tree_id: int) -> Response:
        access = self.access()
        return Response(s.TreeSerializer(access.tree, context={"roles": {access.tree.pk: access.role}}).data)

    @extend_schema(
        request=s.TreeSettingsSerializer,
        responses=s.TreeSerializer,
        description="Change the tree's settings (owners); the change is audited.",
    )
    def patch(self, request: Request, tree_id: int) -> Response:
        data = validated_input(s.TreeSettingsSerializer, request.data)
        access = self.access()
        tree_services.tree_set_name_format(access=access, name_format=data["name_format"])
        return Response(s.TreeSerializer(access.tree, context={"roles": {access.tree.pk: access.role}}).data)


class MemberListView(TreeAPIView):
    @extend_schema(responses=s.MembershipSerializer(many=True))
    def get(self, request: Request, tree_id: int) -> Response:
        self.access().require(Capability.MANAGE_MEMBERS)
        members = Membership.objects.filter(tree=self.access().tree).select_related("user")
        return Response(s.MembershipSerializer(members, many=True).data)

    @extend_schema(request=s.MembershipSetSerializer, responses={202: s.MembershipAcceptedSerializer})
    def post(self, request: Request, tree_id: int) -> Response:
        """Add a member or change a role: the same answer whether or not the username exists."""
        data = validated_input(s.MembershipSetSerializer, request.data)
        access = self.access()
        access.require(Capability.MANAGE_MEMBERS)
        username = data.pop("username")
        scope_id = data.pop("scope_person")
        scope_person = self.person(scope_id) if scope_id else None
        tree_services.membership_add_by_username(access=access, username=username, scope_person=scope_person, **data)
        detail = (
            f"If an account called “{username}” exists, it now has the role {data['role']} in this tree; "
            "the member list shows who belongs."
        )
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class MemberDetailView(TreeAPIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, tree_id: int, membership_id: int) -> Response:
        access = self.access()
        access.require(Capability.MANAGE_MEMBERS)
        membership = Membership.objects.filter(tree=access.tree, pk=membership_id).first()
        if membership is None:
            raise NotFound("No such member.")
        tree_services.membership_remove(access=access, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonListView(PersonSearchMixin, TreeAPIView):
    @extend_schema(request=s.PersonWriteSerializer, responses={201: s.PersonSerializer})
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(s.PersonWriteSerializer, request.data)
        person = person_services.person_create(access=self.access(), **data)
        return Response(s.PersonSerializer(person, context=self.context()).data, status=status.HTTP_201_CREATED)


class PersonDetailView(TreeAPIView):
    @extend_schema(responses=s.PersonSerializer)
    def get(self, request: Request, tree_id: int, person_id: int) -> Response:
        return Response(s.PersonSerializer(self.person(person_id), context=self.context()).data)

    @extend_schema(request=s.PersonWriteSerializer, responses=s.PersonSerializer)
    def patch(self, request: Request, tree_id: int, person_id: int) -> Response:
        data = validated_input(s.PersonWriteSerializer, request.data, partial=True)
        names = data.pop("alternate_names", [])
        person = person_services.person_update(access=self.access(), person=self.person(person_id), **data)
        for name in names:
            person_services.person_name_add(access=self.access(), person=person, **name)
        return Response(s.PersonSerializer(person, context=self.context()).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, tree_id: int, person_id: int) -> Response:
        person_services.person_delete(access=self.access(), person=self.person(person_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonPortraitView(TreeAPIView):
    @extend_schema(request=s.PortraitSerializer, responses=s.PersonSerializer)
    def post(self, request: Request, tree_id: int, person_id: int) -> Response:
        data = validated_input(s.PortraitSerializer, request.data)
        if "face" in data:
            face = _face(self.access(), data["face"])
        else:
            photo = selectors.photo_get(access=self.access(), photo_id=data["photo"])
            face = _face(self.access(), photo_services.face_at_box(photo=photo, box=data["box"]).pk)
        person = photo_services.person_choose_portrait(access=self.access(), person=self.person(person_id), face=face)
        return Response(s.PersonSerializer(person, context=self.context()).data)


class FamilyWriteMixin:
    def partners(self, data: dict[str, Any]) -> dict[str, Any]:
        for key in ("partner1", "partner2"):
            if key in data:
                data[key] = self.person(data[key]) if data[key] else None
        return data


class FamilyListView(FamilyWriteMixin, TreeAPIView):
    @extend_schema(responses=s.FamilySerializer(many=True))
    def get(self, request: Request, tree_id: int) -> Response:
        access = self.access()
        families = (
            Family.objects.filter(tree=access.tree)
            .select_related("partner1", "partner2")
            .prefetch_related("child_links")
        )
        if access.visible_person_ids is not None:
            ids = access.visible_person_ids
            families = families.filter(
                Q(partner1__in=ids) | Q(partner2__in=ids) | Q(child_links__child__in=ids)
            ).distinct()
        return self.paginate(families, s.FamilySerializer)

    @extend_schema(request=s.FamilyWriteSerializer, responses={201: s.FamilySerializer})
    def post(self, request: Request, tree_id: int) -> Response:
        data = self.partners(validated_input(s.FamilyWriteSerializer, request.data))
        family = family_services.family_create(access=self.access(), **data)
        return Response(s.FamilySerializer(family, context=self.context()).data, status=status.HTTP_201_CREATED)


class FamilyDetailView(FamilyWriteMixin, TreeAPIView):
    @extend_schema(responses=s.FamilySerializer)
    def get(self, request: Request, tree_id: int, family_id: int) -> Response:
        return Response(s.FamilySerializer(self.family(family_id), context=self.context()).data)

    @extend_schema(request=s.FamilyWriteSerializer, responses=s.FamilySerializer)
    def patch(self, request: Request, tree_id: int, family_id: int) -> Response:
        data = self.partners(validated_input(s.FamilyWriteSerializer, request.data, partial=True))
        family = family_services.family_update(access=self.access(), family=self.family(family_id), **data)
        return Response(s.FamilySerializer(family, context=self.context()).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, tree_id: int, family_id: int) -> Response:
        family_services.family_delete(access=self.access(), family=self.family(family_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FamilyChildListView(TreeAPIView):
    @extend_schema(request=s.ChildAddSerializer, responses={201: s.ChildLinkSerializer})
    def post(self, request: Request, tree_id: int, family_id: int) -> Response:
        data = validated_input(s.ChildAddSerializer, request.data)
        link = family_services.family_child_add(
            access=self.access(),
            family=self.family(family_id),
            child=self.person(data["child"]),
            pedigree=data["pedigree"],
        )
        return Response(s.ChildLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class FamilyChildDetailView(TreeAPIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, tree_id: int, family_id: int, link_id: int) -> Response:
        family = self.family(family_id)
        link = ChildLink.objects.filter(family=family, pk=link_id).first()
        if link is None:
            raise NotFound("No such child link.")
        family_services.family_child_remove(access=self.access(), link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhotoListView(TreeAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=s.PhotoSerializer(many=True))
    def get(self, request: Request, tree_id: int) -> Response:
        return Response(s.PhotoSerializer(selectors.photo_list(access=self.access()), many=True).data)

    @extend_schema(request={"multipart/form-data": s.PhotoUploadSerializer}, responses={201: s.PhotoSerializer})
    def post(self, request: Request, tree_id: int) -> Response:
        data = validated_input(s.PhotoUploadSerializer, request.data)
        upload = data["file"]
        photo = photo_services.photo_upload(
            access=self.access(),
            data=upload.read(),
            original_name=upload.name or "",
            persons=[self.person(pid) for pid in data["persons"]],
            title=data["title"],
            date_taken=data["date_taken"],
        )
        return Response(s.PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class PhotoDetailView(TreeAPIView):
    @extend_schema(responses=s.PhotoSerializer)
    def get(self, request: Request, tree_id: int, photo_id: int) -> Response:
        return Response(s.PhotoSerializer(selectors.photo_get(access=self.access(), photo_id=photo_id)).data)

    @extend_schema(request=s.PhotoUpdateSerializer, responses=s.PhotoSerializer)
    def patch(self, request: Request, tree_id: int, photo_id: int) -> Response:
        data = validated_input(s.PhotoUpdateSerializer, request.data)
        photo = selectors.photo_get(access=self.access(), photo_id=photo_id)
        photo = photo_services.photo_update(access=self.access(), photo=photo, **data)
        return Response(s.PhotoSerializer(photo).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, tree_id: int, photo_id: int) -> Response:
        photo = selectors.photo_get(access=self.access(), photo_id=photo_id)
        photo_services.photo_delete(access=self.access(), photo=photo)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhotoFaceGateView(TreeAPIView):
    @extend_schema(request=s.FaceGateSerializer, responses={200: s.FaceGateResultSerializer})
    def post(self, request: Request, tree_id: int, photo_id: int) -> Response:
        data = validated_input(s.FaceGateSerializer, request.data)
        photo = selectors.photo_get(access=self.access(), photo_id=photo_id)
        return Response(photo_services.photo_gate_face(access=self.access(), photo=photo, box=data.get("box")))


class FaceDetailView(TreeAPIView):
    @extend_schema(request=s.FaceAssignSerializer, responses=s.FaceSerializer)
    def patch(self, request: Request, tree_id: int, face_id: int) -> Response:
        data = validated_input(s.FaceAssignSerializer, request.data)
        person = self.person(data["person"]) if data["person"] else None
        face = photo_services.face_assign(access=self.access(), face=_face(self.access(), face_id), person=person)
        return Response(s.FaceSerializer(face).data)


def _face(access: TreeAccess, face_id: int) -> Face:
    face = Face.objects.select_related("photo", "person").filter(photo__tree=access.tree, pk=face_id).first()
    if face is None or selectors.photo_hidden(access=access, photo=face.photo):
        raise NotFound("No such face in this tree.")
    return face
